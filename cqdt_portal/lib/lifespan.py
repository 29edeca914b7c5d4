"""Time as data: a thing that exists from a day to a day (an administrative unit, a department).

`valid_from` is the first day and `valid_to` the last day it exists, both included; an empty `valid_from` means
"since before the portal's records begin", an empty `valid_to` "still exists". `ended_by` names the legal act
that ended it. Every read that counts takes a date and sees only what existed on it (`existing_on`).
"""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def existing_q(day: date, prefix: str = "") -> Q:
    """Rows (reached through `prefix`) that existed on `day`."""
    began = Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})
    not_ended = Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    return began & not_ended


class LifespanQuerySet(models.QuerySet):
    def existing_on(self, day: date):
        return self.filter(existing_q(day))

    def current(self):
        """What exists today."""
        return self.existing_on(timezone.localdate())


class Lifespan(models.Model):
    valid_from = models.DateField(
        _("tồn tại từ ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống khi đã có từ trước khi cổng có dữ liệu."),
    )
    valid_to = models.DateField(
        _("tồn tại đến ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày cuối cùng còn tồn tại; để trống khi vẫn còn."),
    )
    ended_by = models.CharField(
        _("văn bản chấm dứt"),
        max_length=200,
        blank=True,
        help_text=_("Số, ký hiệu văn bản quy định việc chấm dứt, ví dụ 1656/NQ-UBTVQH15."),
    )

    objects = LifespanQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_ends_after_it_begins",
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
            )
        ]

    def exists_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def has_ended(self) -> bool:
        """Ended by today (a unit whose end is recorded ahead of time still exists until that day)."""
        return self.valid_to is not None and self.valid_to < timezone.localdate()
