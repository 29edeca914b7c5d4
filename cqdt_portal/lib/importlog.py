"""The log of an uploaded import file (ward lists, plan tasks): staged for preview, then applied once or never.

The file's bytes are kept so that applying re-reads exactly what was previewed, and so the record shows what
was imported; nothing the admin's browser sends back can change the rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportLog(models.Model):
    class State(models.TextChoices):
        PREVIEWED = "previewed", _("Đã xem trước")
        APPLIED = "applied", _("Đã áp dụng")

    file_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(_("mã kiểm tra SHA-256"), max_length=64)
    content = models.BinaryField(_("nội dung tệp"), editable=False)
    state = models.CharField(_("trạng thái"), max_length=12, choices=State.choices, default=State.PREVIEWED)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Để trống khi nhập bằng lệnh quản trị."),
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now)
    applied_at = models.DateTimeField(_("thời điểm áp dụng"), null=True, blank=True)
    summary = models.JSONField(_("tóm tắt"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_applied_has_time",
                condition=~Q(state="applied") | Q(applied_at__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.uploaded_at:%d/%m/%Y %H:%M})"
