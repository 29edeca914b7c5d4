"""Forms of the reporting side. They shape input into domain values (numbers, dates, checked files); the rules
of a report, a review or an extension are the services' (reporting/services.py), whose messages the views put
next to the fields."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .evidence import ACCEPT_ATTRIBUTE, evidence_check
from .models import ReviewOutcome

DATE_INPUT = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


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


class ProgressForm(forms.Form):
    percent = forms.IntegerField(
        label=_("Tiến độ (%)"),
        # The browser's own hint; the rule (0–100) is the service's.
        widget=forms.NumberInput(attrs={"min": 0, "max": 100}),
        error_messages={
            "required": _("Cần nhập tiến độ, từ 0 đến 100%."),
            "invalid": _("Tiến độ là một số nguyên, từ 0 đến 100."),
        },
        help_text=_("Nhập 100 khi đã hoàn thành."),
    )
    completed_on = forms.DateField(
        label=_("Ngày hoàn thành"),
        required=False,
        help_text=_("Chỉ khi tiến độ là 100%; để trống là ngày hôm nay."),
        **DATE_INPUT,
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
    outgoing_date = forms.DateField(label=_("Ngày văn bản báo cáo"), required=False, **DATE_INPUT)
    evidence = MultipleFileField(
        label=_("Tài liệu kèm theo"),
        required=False,
        help_text=_("PDF, Word, Excel hoặc ảnh; mỗi tệp tối đa %(mb)d MB, tối đa %(n)d tệp.")
        % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024), "n": settings.EVIDENCE_MAX_FILES},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


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
        error_messages={"required": _("Cần chọn thời hạn mới.")},
        **DATE_INPUT,
    )
    reason = forms.CharField(
        label=_("Lý do"),
        required=False,
        max_length=2000,
        # Required by the service; the attribute only lets the browser say so first.
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
    )
    document_number = forms.CharField(
        label=_("Số văn bản đề nghị"),
        required=False,
        max_length=64,
        help_text=_("Nếu đơn vị có tờ trình, công văn, ví dụ: 45/TTr-UBND."),
    )
    document_date = forms.DateField(label=_("Ngày văn bản đề nghị"), required=False, **DATE_INPUT)


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
        help_text=_("Bắt buộc khi từ chối, hoặc khi chấp thuận thời hạn khác với thời hạn đề nghị."),
    )
    granted_due_on = forms.DateField(
        label=_("Thời hạn được chấp thuận"),
        required=False,
        help_text=_("Khi đồng ý: để nguyên là thời hạn đơn vị đề nghị, hoặc chọn ngày khác và nêu lý do."),
        **DATE_INPUT,
    )
    document_number = forms.CharField(
        label=_("Số văn bản trả lời"),
        required=False,
        max_length=64,
        help_text=_("Nếu có, ví dụ: 1234/VP-KSTTHC."),
    )
    document_date = forms.DateField(label=_("Ngày văn bản trả lời"), required=False, **DATE_INPUT)


class ChaseForm(forms.Form):
    """A chase (đôn đốc): the overdue assignments chosen on the page and a short message to their units."""

    assignments = forms.TypedMultipleChoiceField(
        label=_("Nhiệm vụ"),
        coerce=int,
        error_messages={"required": _("Chọn ít nhất một nhiệm vụ quá hạn để đôn đốc.")},
    )
    message = forms.CharField(
        label=_("Lời nhắn"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ngắn gọn, ví dụ: Đề nghị đơn vị báo cáo tiến độ trước ngày 05/12."),
        error_messages={"required": _("Nhập lời nhắn đôn đốc.")},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignments"].choices = [(pk, pk) for pk in choices]
