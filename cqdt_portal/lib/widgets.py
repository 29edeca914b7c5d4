"""Form widgets that render in Python what Django renders through a template per <option>.

A filter form lists 175 wards, 13 districts and the departments: through Django's templates that is one
template include per option, ~0.5 ms each on the benchmark machine, the largest single cost of every list page
(bench/, docs/benchmarks.md). The HTML is the same as Django's select.html / select_option.html / attrs.html.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django_filters.widgets import BaseCSVWidget


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False drops an attribute, True writes its bare name."""
    html = []
    for name, value in attrs.items():
        if value is False:
            continue
        html.append(f" {name}" if value is True else f' {name}="{conditional_escape(value)}"')
    return "".join(html)


def _select(widget: dict) -> str | None:
    """django/forms/widgets/select.html and select_option.html; None for a select with option groups."""
    if any(group_name for group_name, _choices, _index in widget["optgroups"]):
        return None
    options = [
        f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
        for _group, choices, _index in widget["optgroups"]
        for option in choices
    ]
    return f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>{"".join(options)}\n</select>'


def kept_options(choices) -> list[tuple[str, str, str]]:
    """A select's options as (value, HTML, HTML when selected), for FastSelect.kept_options: built once from the
    real choices (the same values and labels Django would render) and kept with the data they came from."""
    kept = []
    for value, label in choices:
        value = "" if value is None else str(value)
        head = f'\n  <option value="{conditional_escape(value)}"'
        tail = f">{conditional_escape(label)}</option>\n"
        kept.append((value, head + tail, head + " selected" + tail))
    return kept


class FastSelect(forms.Select):
    # A callable giving the options kept across requests (kept_options()), when the form gives one: the select
    # is then written without reading its choices at all.
    kept_options = None

    def render(self, name, value, attrs=None, renderer=None):
        if self.kept_options is not None and not self.allow_multiple_selected:
            values = self.format_value(value)
            options, chosen = [], False
            for option_value, html, selected_html in self.kept_options():
                if not chosen and option_value in values:
                    options.append(selected_html)
                    chosen = True
                else:
                    options.append(html)
            attrs = self.build_attrs(self.attrs, attrs)
            return mark_safe(  # noqa: S308 — every value is escaped (here and in kept_options)
                f'<select name="{conditional_escape(name)}"{_attrs(attrs)}>{"".join(options)}\n</select>'
            )
        html = _select(self.get_context(name, value, attrs)["widget"])
        if html is None:
            return super().render(name, value, attrs, renderer)
        return mark_safe(html)  # noqa: S308 — every value above is escaped


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = widget["value"]
    html = f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
    if value is not None:
        html += f' value="{conditional_escape(value)}"'
    return html + _attrs(widget["attrs"]) + ">"


def _option_input(option: dict) -> str:
    """django/forms/widgets/checkbox_option.html → input_option.html → input.html, with the line ends their files
    leave."""
    if not option["wrap_label"]:
        return f"{_input(option)}\n\n\n"
    label_for = f' for="{conditional_escape(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(option)}\n {conditional_escape(option['label'])}</label>\n\n"


def _multiple_input(widget: dict) -> str:
    """django/forms/widgets/multiple_input.html, without option groups."""
    attrs = widget["attrs"]
    html = "<div"
    if attrs.get("id"):
        html += f' id="{conditional_escape(attrs["id"])}"'
    if attrs.get("class"):
        html += f' class="{conditional_escape(attrs["class"])}"'
    html += ">"
    for _group, options, _index in widget["optgroups"]:
        html += "".join(f"<div>\n    {_option_input(option)}</div>" for option in options)
    return html + "\n</div>"


INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html" for name in ("input", "text", "date", "number", "hidden")
}


class FastRender:
    """Renders a plain input or a group of checkboxes in Python, with the same HTML as Django's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if widget["template_name"] in INPUT_TEMPLATES:
            return mark_safe(_input(widget))  # noqa: S308 — every value is escaped
        if widget["template_name"] == "django/forms/widgets/checkbox_select.html" and not any(
            group for group, _options, _index in widget["optgroups"]
        ):
            return mark_safe(_multiple_input(widget))  # noqa: S308 — every value is escaped
        if (
            widget["template_name"] == "django/forms/widgets/select.html"
            and (html := _select(widget)) is not None
        ):
            return mark_safe(html)  # noqa: S308 — every value is escaped
        return super().render(name, value, attrs, renderer)


_FAST_CLASSES: dict = {}


def fast_widgets(form) -> None:
    """Gives each field of `form` whose widget renders through Django's own template the same widget rendered in
    Python (a filter form's ten inputs cost more than its fifty rows of results; bench/)."""
    for field in form.fields.values():
        cls = type(field.widget)
        if cls not in _FAST_CLASSES:
            if cls.render is forms.Widget.render:
                _FAST_CLASSES[cls] = type(f"Fast{cls.__name__}", (FastRender, cls), {})
            elif cls.__bases__[0] is BaseCSVWidget and cls.render is BaseCSVWidget.render:
                # django-filter's sort select: BaseCSVWidget.render joins the value and hands it to the next
                # render in line, which FastRender then is.
                body = {k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__")}
                _FAST_CLASSES[cls] = type(
                    f"Fast{cls.__name__}", (BaseCSVWidget, FastRender, *cls.__bases__[1:]), body
                )
            else:
                _FAST_CLASSES[cls] = None  # a widget with its own render (FastSelect) keeps it
        if _FAST_CLASSES[cls] is not None:
            field.widget.__class__ = _FAST_CLASSES[cls]
