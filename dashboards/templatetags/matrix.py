from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tasks.status import Status
from tasks.templatetags.status import status_symbol

register = template.Library()


@register.simple_tag
def matrix_cells(cells):
    """One ward's row of matrix cells (<td>…</td> each) as one string: a template loop per cell costs ~0.4 ms,
    too much for 20,000 cells. Every value is an integer or a status symbol, so nothing needs escaping."""
    placeholder = reverse("reporting:assignment_detail", args=[0])
    prefix, suffix = placeholder[: placeholder.rindex("0")], placeholder[placeholder.rindex("0") + 1 :]
    symbols = {status.value: status_symbol(status.value) for status in Status}
    html = []
    for cell in cells:
        if cell:
            html.append(
                f'<td class="cell"><a class="cell-link" href="{prefix}{int(cell["pk"])}{suffix}">'
                f'{symbols[cell["status"]]}<span class="cell-percent">{int(cell["percent"])}%</span></a></td>'
            )
        else:
            html.append('<td class="cell"><span class="cell-none" aria-label="không giao">·</span></td>')
    return mark_safe("".join(html))  # noqa: S308 — built from integers and status_symbol's own HTML


@register.simple_tag
def group_rows(rows, unit_header, rate_header, document_pk=None, as_of_param=None):
    """The rows of a summary table (_group_table.html): each unit's counts by status, each a link to its list, its
    on-time rate and a stacked bar. One string per row in Python: through the template, the ~150 rows of the
    dashboard or the period report cost most of the page (bench/, docs/benchmarks.md). The same HTML as the
    template wrote (tests/dashboards/test_group_table.py)."""
    base = reverse("tasks:assignment_list")
    statuses = list(Status)
    labels = {status: conditional_escape(status.label) for status in statuses}
    unit_label = conditional_escape(unit_header)
    rate_label = conditional_escape(rate_header or _("Tỷ lệ đúng hạn"))

    def url(params, **extra):
        query = urlencode({k: v for k, v in {**params, **extra}.items() if v not in (None, "")}, doseq=True)
        return conditional_escape(base + (f"?{query}" if query else ""))

    html = []
    for unit, counts, params in rows:
        name = conditional_escape(localize(getattr(unit, "name_then", None) or unit))
        cells = "".join(
            f'<td class="num" data-label="{labels[status]}"><a href="'
            f'{url(params, status=status.value, document=document_pk, as_of=as_of_param)}">{localize(n)}</a></td>'
            for status, n in counts.rows
        )
        rate = counts.on_time_rate
        bar = _status_bar(counts, labels)
        html.append(
            f'\n    <tr>\n      <th scope="row" data-label="{unit_label}">{name}</th>\n      {cells}\n'
            f'      <td class="num" data-label="Tổng"><a href="{url(params, document=document_pk, as_of=as_of_param)}">'
            f"{localize(counts.total)}</a></td>\n"
            f'      <td class="rate-cell" data-label="{rate_label}"><span class="rate">'
            f"{'—' if rate is None else f'{localize(rate)}%'}</span>{bar}\n</td>\n    </tr>\n  "
        )
    return mark_safe("".join(html))  # noqa: S308 — every value above is escaped


def _status_bar(counts, labels) -> str:
    """_status_bar.html."""
    segments = counts.segments
    aria = "; ".join(f"{labels[s]}: {n}" for s, n, _x, _w in segments)
    rects = "".join(
        f'<rect class="seg-{s.value}" x="{x}" y="0" width="{w}" height="10"><title>{labels[s]}: {n}</title></rect>'
        for s, n, x, w in segments
        if n
    )
    return (
        f'<svg class="stack-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="{aria}">'
        f"{rects}</svg>"
    )
