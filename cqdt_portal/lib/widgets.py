"""Form widgets that render in Python what Django renders through a template per <option>.

A filter form lists 175 wards, 13 districts and the departments: through Django's templates that is one
template include per option, ~0.5 ms each on the benchmark machine, the largest single cost of every list page
(bench/, docs/benchmarks.md). The HTML is the same as Django's select.html / select_option.html / attrs.html.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False drops an attribute, True writes its bare name."""
    html = []
    for name, value in attrs.items():
        if value is False:
            continue
        html.append(f" {name}" if value is True else f' {name}="{conditional_escape(value)}"')
    return "".join(html)


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _choices, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = [
            f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>\n"
            for _group, choices, _index in widget["optgroups"]
            for option in choices
        ]
        html = f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>{"".join(options)}\n</select>'
        return mark_safe(html)  # noqa: S308 — every value above is escaped
