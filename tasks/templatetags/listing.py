from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def list_url(base=None, **params):
    """The filtered assignment list: {% list_url status="overdue" district=d.code %}, optionally on top of a
    dict of parameters ({% list_url row.filter_params as_of=… %}); empty values are dropped."""
    params = {**(base or {}), **params}
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    return reverse("tasks:assignment_list") + (f"?{query}" if query else "")


@register.simple_tag
def status_url(status, params=None):
    """The list of the assignments behind a count: `params` (a dict or the request's GET) plus this status."""
    base = {}
    if params:
        items = params.lists() if hasattr(params, "lists") else ((k, [v]) for k, v in params.items())
        base = {k: v for k, v in items if k not in ("status", "page", "order")}
    base["status"] = getattr(status, "value", status)
    query = urlencode({k: v for k, v in base.items() if v not in (None, "", [])}, doseq=True)
    return reverse("tasks:assignment_list") + "?" + query
