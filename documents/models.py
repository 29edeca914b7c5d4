"""The office that issues the portal's administrative documents (văn bản hành chính) and how it signs them: the
parts of a document's head and foot that Nghị định 30/2020/NĐ-CP asks for and that only the office can say."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DEFAULT_RECIPIENTS = (
    "UBND Thành phố (để báo cáo);\nCác sở, ban, ngành Thành phố;\nUBND các phường, xã;\nLưu: VT."
)


class IssuingOffice(models.Model):
    """One row (pk 1) that admins edit; before anyone saves it, the defaults below."""

    parent_body = models.CharField(
        _("cơ quan chủ quản trực tiếp"),
        max_length=120,
        blank=True,
        default="UBND THÀNH PHỐ HÀ NỘI",
        help_text=_("Dòng trên tên cơ quan ban hành; để trống nếu không có."),
    )
    body = models.CharField(_("cơ quan ban hành"), max_length=120, default="SỞ NỘI VỤ")
    symbol = models.CharField(
        _("ký hiệu văn bản"),
        max_length=40,
        default="BC-SNV",
        help_text=_("Phần sau số văn bản: “Số: …/BC-SNV”. Số do văn thư ghi khi ban hành."),
    )
    place = models.CharField(_("địa danh"), max_length=60, default="Hà Nội")
    signer_title = models.TextField(
        _("quyền hạn, chức vụ người ký"),
        max_length=200,
        default="GIÁM ĐỐC",
        help_text=_("Mỗi dòng một dòng trên văn bản, ví dụ “KT. GIÁM ĐỐC” rồi “PHÓ GIÁM ĐỐC”."),
    )
    signer_name = models.CharField(
        _("họ và tên người ký"),
        max_length=120,
        blank=True,
        help_text=_("Để trống: văn bản để chỗ trống cho cơ quan ghi khi ký."),
    )
    recipients = models.TextField(
        _("nơi nhận"), default=DEFAULT_RECIPIENTS, help_text=_("Mỗi dòng một nơi nhận.")
    )

    class Meta:
        verbose_name = _("cơ quan ban hành báo cáo")
        verbose_name_plural = _("cơ quan ban hành báo cáo")
        constraints = [models.CheckConstraint(name="issuing_office_single_row", condition=Q(pk=1))]

    def __str__(self):
        return self.body

    @classmethod
    def current(cls) -> "IssuingOffice":
        """The admins' row, or the defaults before anyone saved one."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def signer_lines(self) -> list[str]:
        return [line.strip() for line in self.signer_title.splitlines() if line.strip()]

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip().lstrip("-– ").strip() for line in self.recipients.splitlines() if line.strip()]
