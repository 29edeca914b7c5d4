"""The filters of a list in words, for the top of a printed page and the title block of an export:
"Tình trạng: Chưa hoàn thành – quá hạn; Quận, thị xã (kể cả các phường): Quận Ba Đình"."""

from datetime import date

from django import forms

# Not filters of the rows: the day is said on its own line, the order and the page change no number.
NOT_FILTERS = {"as_of", "order", "page", "cot"}


def _words(field: forms.Field, value) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "có" if value else "không"
    if hasattr(value, "pk") or isinstance(field, forms.ModelChoiceField):
        return str(value)  # a model's choices would be one query for every row of its table
    choices = dict(getattr(field, "choices", ()))
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(v, v)) for v in value)
    return str(choices.get(value, value))


def filters_in_words(form: forms.Form) -> list[str]:
    """["label: value"] of each filter the form was given, in the form's order; [] when none (or invalid)."""
    if not form.is_bound or not form.is_valid():
        return []
    words = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name in NOT_FILTERS or value in (None, "", [], ()):
            continue
        words.append(f"{field.label}: {_words(field, value)}")
    return words
