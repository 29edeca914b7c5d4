from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

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
