"""The dashboards' one form: which reporting period to show."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.periods import KINDS, Period, last_ended, period


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kỳ báo cáo"), choices=[(k, v[0]) for k, v in KINDS.items()], initial="quarter"
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2019, max_value=2100)
    number = forms.IntegerField(
        label=_("Kỳ số"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("Tháng 1–12, quý 1–4, 6 tháng 1–2"),
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        kind, number = data["kind"], data.get("number") or 1
        per_year = KINDS[kind][2]
        if number > per_year:
            self.add_error("number", _("Kỳ số của loại kỳ này chỉ từ 1 đến %(n)s.") % {"n": per_year})
            return data
        data["period"] = period(kind, data["year"], number)
        return data

    @staticmethod
    def default_period() -> Period:
        """The last quarter that has ended (its cut-off passed), so the first view is a complete report."""
        return last_ended("quarter", timezone.localdate())
