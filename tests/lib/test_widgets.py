import pytest
from django import forms

from cqdt_portal.lib.widgets import FastSelect
from tasks.filters import AssignmentFilter

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
