from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

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
