from django import template

from cqdt_portal.lib.filter_words import filters_in_words

register = template.Library()


@register.inclusion_tag("_field.html")
def field_row(field, extra_class=""):
    """A labelled field whose help text and errors are tied to the input (aria-describedby, aria-invalid)."""
    widget_id = field.auto_id
    described = []
    if field.help_text:
        described.append(f"{widget_id}_help")
    if field.errors:
        described.append(f"{widget_id}_error")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    grouped = field.field.widget.input_type == "radio" if hasattr(field.field.widget, "input_type") else False
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "grouped": grouped,
        "described": " ".join(described),
        "extra_class": extra_class,
    }


@register.filter
def in_words(form) -> list[str]:
    """The filters a list form was given, in words (for the top of a printed page): filters_in_words."""
    return filters_in_words(form)
