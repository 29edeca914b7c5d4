from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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


@register.simple_tag
def filter_fields(form):
    """The fields of a list's filter form (_filter_form.html), written in Python: through the template's loop
    the seventeen fields cost about a fifth of a list page (bench/). The same HTML as the loop wrote, but for
    the blank lines between its tags (tests/tasks/test_filter_form_html.py)."""
    html = []
    for field in form:
        if field.is_hidden:
            html.append(str(field))
            continue
        classes = (
            "field"
            + (" has-error" if field.errors else "")
            + (" field-wide" if field.name == "status" else "")
        )
        label = conditional_escape(field.label)
        if field.name == "status":
            inner = f"<fieldset><legend>{label}</legend>{field}</fieldset>"
        else:
            inner = f'<label for="{conditional_escape(field.id_for_label)}">{label}</label>{field}'
        if field.errors:
            errors = " ".join(conditional_escape(e) for e in field.errors)
            inner += (
                f'\n      <p class="field-error" id="{conditional_escape(field.auto_id)}_error">{errors}</p>'
            )
        html.append(f'\n    <div class="{classes}">\n      {inner}\n    </div>')
    return mark_safe("".join(html))  # noqa: S308 — every value is escaped; widgets render their own escaped HTML
