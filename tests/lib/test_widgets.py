import copy

import pytest
from django import forms

from cqdt_portal.lib.widgets import FastRender, FastSelect
from tasks.filters import AssignmentFilter, TaskFilter

CHOICES = [("", "Tất cả"), ("a&b", 'Phường <Đống Đa> & "x"'), ("2", "Hai")]


@pytest.mark.parametrize("value", ["", "a&b", None, "2", ["2"]])
def test_fast_select_writes_the_same_html_as_djangos_select(value):
    attrs = {"id": "f-ward", "class": "c", "disabled": True, "data-x": False}
    assert FastSelect(choices=CHOICES, attrs=attrs).render("ward", value) == forms.Select(
        choices=CHOICES, attrs=attrs
    ).render("ward", value)


def test_the_assignment_filter_form_renders_as_before(db):
    form = AssignmentFilter({"ward": "00001", "district": "001"}).form
    for name in ("document", "lead", "department", "district", "ward"):
        field = form[name]
        assert isinstance(field.field.widget, FastSelect)
        slow = forms.Select(choices=field.field.widget.choices, attrs=field.field.widget.attrs)
        assert field.as_widget() == field.as_widget(widget=slow)


def _slow_html(field):
    """The field's widget as Django's own template renders it (its class without FastRender among its bases)."""
    widget = copy.copy(field.field.widget)
    fast = type(widget)
    widget.__class__ = type(
        "Slow", tuple(b for b in fast.__bases__ if b is not FastRender), dict(fast.__dict__)
    )
    return field.as_widget(widget=widget)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"status": ["overdue", "done_late"], "q": 'a <b> & "c"', "stale_days": "7", "due_from": "01/02/2024",
         "escalated": "true", "order": "-due", "unit_kind": "ward", "as_of": "2024-06-30", "task": "1"},
        {"stale_days": "abc", "due_to": "31/02/2024", "escalated": "false"},
    ],
)  # fmt: skip
def test_every_input_of_the_filter_forms_renders_as_djangos_templates_do(db, data):
    for form in (AssignmentFilter(data).form, TaskFilter(data).form):
        form.is_valid()
        for field in form:
            if isinstance(field.field.widget, FastRender):
                assert field.as_widget() == _slow_html(field), field.name
