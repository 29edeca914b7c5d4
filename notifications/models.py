"""A person's notifications: one row per event and person, shown in the portal's inbox and sent by e-mail.

The row is written in the same transaction as the event it tells of (a report returned, an extension decided…),
so a notification exists exactly when its event does; the e-mail follows after the commit (jobs.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại")
    REPORT_CONFIRMED = "report_confirmed", _("Báo cáo được xác nhận")
    EXTENSION_DECIDED = "extension_decided", _("Quyết định gia hạn")
    ASSIGNMENT_GIVEN = "assignment_given", _("Nhiệm vụ mới được giao")
    HANDED_OVER = "handed_over", _("Nhiệm vụ được chuyển giao cho đơn vị")
    REPORT_AWAITING = "report_awaiting", _("Báo cáo chờ xem xét")
    EXTENSION_AWAITING = "extension_awaiting", _("Đề nghị gia hạn chờ quyết định")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi, sẽ gửi lại")
    SKIPPED = "skipped", _("Không gửi thư")


class Notification(models.Model):
    """One event told to one person. `key` names the event ("report_returned:12"): the unique (recipient, key)
    makes telling twice impossible, whoever calls twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    kind = models.CharField(_("loại thông báo"), max_length=20, choices=NotificationKind.choices)
    key = models.CharField(_("sự việc"), max_length=100)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    # A path in the portal ("/giao-viec/12/"); e-mails put settings.SITE_URL before it.
    link = models.CharField(_("đường dẫn"), max_length=300)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    email_status = models.CharField(
        _("thư điện tử"), max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    emailed_at = models.DateTimeField(_("gửi thư lúc"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("số lần gửi thư"), default=0)
    email_error = models.TextField(_("lỗi gửi thư"), blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_event_person")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["key"], name="notification_event_idx"),
            models.Index(
                fields=["email_status"],
                condition=models.Q(email_status__in=["pending", "failed"]),
                name="notification_unsent_idx",
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
