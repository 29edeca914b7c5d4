from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from org import units
from org.models import UnitMember


class User(UnitMember, AbstractUser):
    """A portal user. Belongs to at most one unit: a department, a district or a ward."""

    job_title = models.CharField(_("chức vụ"), max_length=200, blank=True)
    # Personal choice: the daily digest of due and overdue assignments. Escalations (an assignment still
    # overdue after repeated reminders) reach the user regardless, as the city's rules require.
    reminder_digest_opt_out = models.BooleanField(
        _("không nhận thư nhắc hạn hằng ngày"),
        default=False,
        help_text=_("Thư báo việc quá hạn đã nhắc nhiều lần vẫn được gửi."),
    )
    # Personal choice: e-mail copies of the portal's notifications (the inbox keeps them either way).
    notification_email_opt_out = models.BooleanField(
        _("không nhận thư thông báo"),
        default=False,
        help_text=_("Thông báo vẫn hiện trong mục Thông báo trên Cổng."),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                name="user_belongs_to_at_most_one_unit",
                condition=units.at_most_one(),
                violation_error_message=_(
                    "Mỗi người dùng chỉ thuộc một đơn vị: chọn một sở, ngành, HOẶC một quận, thị xã, HOẶC một "
                    "phường, xã, và bỏ trống hai ô còn lại."
                ),
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Vietnamese names put the family name (họ) first: "Nguyễn Văn An", not "An Nguyễn Văn".
        return f"{self.last_name} {self.first_name}".strip()

    def has_role(self, role: str) -> bool:
        """Is the user in the group of `role` (a reporting.models.Role)? Uses the prefetch cache when the groups
        were prefetched."""
        return any(group.name == role for group in self.groups.all())


class LoginLockout(AccessAttempt):
    """Failed logins of one user name from one address, as django-axes counts them (accounts/lockout.py). The
    admin shows them in Vietnamese; clearing a row unlocks that pair at once."""

    class Meta:
        proxy = True
        verbose_name = _("khoá đăng nhập")
        verbose_name_plural = _("khoá đăng nhập")


class ApiToken(TokenProxy):
    """The API key of a person or of a system (a user account of its own): one each, revoked by deleting it.

    Its name never shows the key, so that the admin's history (LogEntry keeps each object's name) does not log it.
    """

    class Meta:
        proxy = True
        verbose_name = _("khoá API")
        verbose_name_plural = _("khoá API")

    def __str__(self):
        return str(_("Khoá API của {user}")).format(user=self.user)
