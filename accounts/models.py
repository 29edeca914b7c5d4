from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from org import units
from org.models import UnitMember


class Role(models.TextChoices):
    """The portal's roles; each is a Django group of the same name (see accounts.services.roles_ensure)."""

    CITY_OFFICIAL = "city_official", _("Lãnh đạo, chuyên viên thành phố (xem)")
    UNIT_STAFF = "unit_staff", _("Cán bộ đơn vị (báo cáo)")
    UNIT_HEAD = "unit_head", _("Lãnh đạo đơn vị (duyệt báo cáo)")
    REVIEWER = "reviewer", _("Chuyên viên Văn phòng UBND TP (xác nhận)")


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

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(name="user_belongs_to_at_most_one_unit", condition=units.at_most_one())
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Vietnamese names put the family name (họ) first: "Nguyễn Văn An", not "An Nguyễn Văn".
        return f"{self.last_name} {self.first_name}".strip()

    def has_role(self, role: Role) -> bool:
        # Uses the prefetch cache when the groups were prefetched.
        return any(group.name == role for group in self.groups.all())
