"""Forms of the write side. They validate and return domain values; the services write."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.periods import KINDS, Period, period, period_containing

from .evidence import ACCEPT_ATTRIBUTE, evidence_check
from .models import ReviewOutcome


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe); each is checked by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > settings.EVIDENCE_MAX_FILES:
            raise ValidationError(
                _("Chỉ được gửi tối đa %(n)d tệp mỗi lần báo cáo."), params={"n": settings.EVIDENCE_MAX_FILES}
            )
        checked, errors = [], []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                checked.append(evidence_check(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


def not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("Ngày không được sau hôm nay."), code="future")


class ProgressForm(forms.Form):
    percent = forms.IntegerField(
        label=_("Tiến độ (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            # These messages are %-formatted with the limit: a literal per cent sign is written %%.
            "min_value": _("Tiến độ phải từ 0 đến 100%%."),
            "max_value": _("Tiến độ phải từ 0 đến 100%%."),
            "required": _("Cần nhập tiến độ, từ 0 đến 100%."),
            "invalid": _("Tiến độ là một số nguyên, từ 0 đến 100."),
        },
        help_text=_("Nhập 100 khi đã hoàn thành."),
    )
    completed_on = forms.DateField(
        label=_("Ngày hoàn thành"),
        required=False,
        validators=[not_in_future],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Chỉ khi tiến độ là 100%; để trống là ngày hôm nay."),
    )
    note = forms.CharField(
        label=_("Nội dung báo cáo"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Việc đã làm, kết quả, vướng mắc. Bắt buộc khi báo cáo hoàn thành mà không kèm tài liệu."
        ),
    )
    outgoing_number = forms.CharField(
        label=_("Số văn bản báo cáo"),
        required=False,
        max_length=64,
        help_text=_("Nếu có, ví dụ: 123/BC-UBND."),
    )
    outgoing_date = forms.DateField(
        label=_("Ngày văn bản báo cáo"),
        required=False,
        validators=[not_in_future],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    evidence = MultipleFileField(
        label=_("Tài liệu kèm theo"),
        required=False,
        help_text=_("PDF, Word, Excel hoặc ảnh; mỗi tệp tối đa %(mb)d MB, tối đa %(n)d tệp.")
        % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024), "n": settings.EVIDENCE_MAX_FILES},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        data = super().clean()
        percent = data.get("percent")
        empty = not (data.get("note") or "").strip() and not data.get("evidence")
        if percent == 100 and empty and "evidence" not in self.errors:
            self.add_error("note", _("Báo cáo hoàn thành cần có nội dung hoặc tài liệu kèm theo."))
        if percent is not None and percent < 100 and data.get("completed_on"):
            self.add_error("completed_on", _("Chỉ ghi ngày hoàn thành khi tiến độ là 100%."))
        if data.get("outgoing_date") and not (data.get("outgoing_number") or "").strip():
            self.add_error("outgoing_number", _("Có ngày văn bản thì cần ghi số văn bản."))
        return data


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[
            (ReviewOutcome.APPROVED.value, _("Xác nhận")),
            (ReviewOutcome.RETURNED.value, _("Trả lại")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Lý do, ý kiến"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi trả lại báo cáo."),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == ReviewOutcome.RETURNED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Cần ghi lý do trả lại để đơn vị biết và báo cáo lại."))
        return data


class BulkConfirmForm(forms.Form):
    reports = forms.TypedMultipleChoiceField(
        label=_("Báo cáo"),
        coerce=int,
        error_messages={"required": _("Chọn ít nhất một báo cáo để xác nhận.")},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(pk, pk) for pk in choices]


class ExtensionRequestForm(forms.Form):
    requested_due_on = forms.DateField(
        label=_("Thời hạn đề nghị"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Cần chọn thời hạn mới.")},
    )
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần nêu lý do đề nghị gia hạn.")},
    )

    def __init__(self, *args, current_due_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_due_on = current_due_on

    def clean_requested_due_on(self):
        value = self.cleaned_data["requested_due_on"]
        if self.current_due_on and value <= self.current_due_on:
            raise ValidationError(
                _("Thời hạn đề nghị phải sau thời hạn hiện tại (%(due)s)."),
                params={"due": self.current_due_on.strftime("%d/%m/%Y")},
            )
        return value


class ExtensionDecisionForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Đồng ý gia hạn")), ("0", _("Từ chối"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi từ chối."),
    )

    def clean(self):
        data = super().clean()
        if data.get("approved") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Cần nêu lý do từ chối gia hạn."))
        return data


# --- Read side: reporting periods and export formats -------------------------------------------------------

EXPORT_FORMATS = ("xlsx", "csv")


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
        current = period_containing("quarter", timezone.localdate())
        number, year = (current.number - 1, current.year) if current.number > 1 else (4, current.year - 1)
        return period("quarter", year, number)


# --- Admin: plan tasks import -----------------------------------------------------------------------------


class TaskImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh sách nhiệm vụ"),
        help_text=gettext_lazy(
            "Tệp .xlsx hoặc .csv với các cột: Văn bản, Mục, Nhiệm vụ, Chủ trì, Phối hợp, Thời hạn (ngày/tháng/năm), "
            "Phạm vi (thành phố, mọi quận, mọi phường, mọi quận và phường) và, nếu có, Nội dung."
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                gettext_lazy("Tệp quá lớn: %(size)s MB, giới hạn %(limit)s MB."),
                params={
                    "size": round(file.size / 1_000_000, 1),
                    "limit": round(settings.IMPORT_MAX_BYTES / 1_000_000, 1),
                },
            )
        return file
