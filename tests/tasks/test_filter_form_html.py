"""The filter form's fields written in Python (tasks/templatetags/listing.py filter_fields) read exactly as the
template loop they replaced wrote them, but for the blank lines between tags: for every field, hidden or not,
with and without errors, on both list pages."""

import re

import pytest
from django.template import Context, Template

from tasks.filters import AssignmentFilter, TaskFilter

# The loop of templates/tasks/_filter_form.html before it was written in Python.
TEMPLATE_LOOP = Template(
    """{% for field in form %}
    {% if field.is_hidden %}{{ field }}{% else %}
    <div class="field{% if field.errors %} has-error{% endif %}{% if field.name == 'status' %} field-wide{% endif %}">
      {% if field.name == 'status' %}
      <fieldset><legend>{{ field.label }}</legend>{{ field }}</fieldset>
      {% else %}
      <label for="{{ field.id_for_label }}">{{ field.label }}</label>{{ field }}
      {% endif %}
      {% if field.errors %}<p class="field-error" id="{{ field.auto_id }}_error">{{ field.errors|join:" " }}</p>{% endif %}
    </div>
    {% endif %}
  {% endfor %}"""
)
PYTHON = Template("{% load listing %}{% filter_fields form %}")


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"status": ["overdue"], "q": 'a <b> & "c"', "ward": "00001", "order": "-due", "task": "1"},
        {"stale_days": "abc", "due_to": "31/02/2024", "escalated": "maybe", "ward": "99999", "as_of": "x"},
    ],
)
def test_the_filter_fields_read_as_the_template_loop_wrote_them(db, data):
    for form in (AssignmentFilter(data).form, TaskFilter(data).form):
        form.is_valid()
        context = Context({"form": form})
        assert _tags(PYTHON.render(context)) == _tags(TEMPLATE_LOOP.render(context))
    assert AssignmentFilter(data).form.errors or not data.get("stale_days")  # the third case has errors
