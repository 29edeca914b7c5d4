from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from tasks.status import STATUS_SYMBOLS, Status

register = template.Library()


@register.simple_tag
def status_badge(value):
    """A status as colour, symbol and words: never colour alone (WCAG 1.4.1)."""
    status = Status(value)
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


# status_symbol's HTML per (status, language): it depends on nothing else, and the ward matrix asks for it
# tens of thousands of times per page (bench/: 130 tasks × 175 wards at scale M).
_SYMBOLS: dict = {}


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
