from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from tasks.models import Assignment
from tasks.status import STATUS_SYMBOLS, Status

register = template.Library()


# The HTML of status_badge and status_symbol per (status, language): they depend on nothing else, and a list page
# asks for one per row, the ward matrix for one per cell (bench/: 130 tasks × 175 wards at scale M).
_BADGES: dict = {}
_SYMBOLS: dict = {}


@register.simple_tag
def status_badge(value):
    """A status as colour, symbol and words: never colour alone (WCAG 1.4.1)."""
    key = (value, get_language())
    if key not in _BADGES:
        _BADGES[key] = _status_badge(Status(value))
    return _BADGES[key]


def _status_badge(status: Status):
    return format_html(
        '<span class="status status-{}"><span aria-hidden="true">{}</span> {}</span>',
        status.value,
        STATUS_SYMBOLS[status],
        status.label,
    )


@register.filter
def percent_of(part, whole):
    return round(100 * part / whole) if whole else 0


@register.filter
def getitem(counts, key):
    return counts[key]


@register.simple_tag
def status_symbol(value):
    """A compact status for dense tables: the symbol, with the words for screen readers and as a tooltip."""
    key = (value, get_language())
    if key not in _SYMBOLS:
        _SYMBOLS[key] = _status_symbol(Status(value))
    return _SYMBOLS[key]


def _status_symbol(status: Status):
    return format_html(
        '<span class="status status-{} status-compact" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        status.value,
        status.label,
        STATUS_SYMBOLS[status],
        status.label,
    )


HANDED_OVER_TITLE = "Đơn vị thôi tồn tại sau ngày {day}; việc chưa xong chuyển giao cho đơn vị nhận"
ILLUSTRATIVE_TAG = ' <span class="tag" title="Thời hạn do cổng đặt để minh hoạ, không có trong văn bản gốc">hạn minh hoạ</span>'
ESCALATED_TAG = (
    ' <span class="tag tag-alert" title="Quá hạn sau nhiều lần nhắc: đưa ra cuộc họp giao ban lãnh đạo thành phố">'
    "báo cáo lãnh đạo</span>"
)


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@register.simple_tag
def assignment_rows(rows, show_task=False, show_unit=False):
    """The rows of an assignment table (_assignment_table.html) as one string per row: through the template, the
    fifty rows of a list cost a third of the page (bench/, docs/benchmarks.md). The same HTML as the template
    wrote (tests/tasks/test_assignment_table.py)."""
    html = []
    # Assignment.get_absolute_url() for each row, with one reverse() per table instead of one per row.
    marker = "987654321"
    head, tail = (conditional_escape(part) for part in Assignment(pk=marker).get_absolute_url().split(marker))
    for a in rows:
        url = f"{head}{a.pk}{tail}"
        cells = []
        if show_task:
            cells.append(
                f'<td data-label="Nhiệm vụ"><a href="{url}">{conditional_escape(a.task.title)}</a></td>'
            )
        if show_unit:
            unit = conditional_escape(a.unit)
            cell = unit if show_task else f'<a href="{url}">{unit}</a>'
            district = a.ward.district if a.ward_id else None
            if district:
                cell += f'<span class="muted"> · {conditional_escape(district)}</span>'
            if a.was_handed_over:
                title = HANDED_OVER_TITLE.format(day=_day(a.ended_on))
                cell += f' <span class="tag" title="{conditional_escape(title)}">đã chuyển giao</span>'
            cells.append(f'<td data-label="Đơn vị">{cell}</td>')
        due = _day(a.due_on) + (ILLUSTRATIVE_TAG if a.task.deadline_is_illustrative else "")
        percent = localize(a.percent)
        escalated = ESCALATED_TAG if a.escalated_at else ""
        html.append(
            f"\n    <tr>\n      {cells[0] if show_task else ''}\n      {cells[-1] if show_unit else ''}\n"
            f'      <td data-label="Thời hạn">{due}</td>\n'
            f'      <td class="nowrap" data-label="Tiến độ"><progress max="100" value="{percent}" aria-hidden="true">'
            f"</progress> {percent}%</td>\n"
            f'      <td data-label="Hoàn thành">{_day(a.completed_on) or "—"}</td>\n'
            f'      <td data-label="Tình trạng">{status_badge(a.status)}{escalated}</td>\n    </tr>\n  '
        )
    return mark_safe("".join(html))  # noqa: S308 — every value above is escaped
