"""Deadline reminders: the working calendar's holidays, the rules admins set, and the log of every reminder.

The tables keep the names they had in the tasks app, where reminders first lived (no data was moved).
"""

from django.conf import settings
from django.core.validators import MinValueValidator, validate_comma_separated_integer_list
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tasks.models import Assignment


class Holiday(models.Model):
    """A public holiday (Tết, 30/4, 1/5, 2/9…): no reminder is sent on it. Admins keep the table up to date,
    since the days off around Tết and 2/9, and the days in lieu, are announced by the Government each year."""

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên ngày nghỉ"), max_length=200)

    class Meta:
        db_table = "tasks_holiday"
        verbose_name = _("ngày nghỉ lễ, Tết")
        verbose_name_plural = _("ngày nghỉ lễ, Tết")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.name}"


class ReminderSettings(models.Model):
    """The reminder rules admins may change: one row (pk 1), created from settings.REMINDER_* by `seed`."""

    days_before = models.CharField(
        _("nhắc trước hạn (ngày)"),
        max_length=100,
        help_text=_("Các số ngày trước thời hạn, cách nhau bởi dấu phẩy, ví dụ: 7,3,1"),
        validators=[validate_comma_separated_integer_list],
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        _("nhắc lại khi quá hạn, mỗi (ngày)"), validators=[MinValueValidator(1)]
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("báo cáo lãnh đạo sau số lần nhắc quá hạn"),
        validators=[MinValueValidator(1)],
        help_text=_("Việc vẫn quá hạn sau ngần ấy lần nhắc được gửi thêm lãnh đạo đơn vị và đơn vị chủ trì."),
    )

    class Meta:
        db_table = "tasks_remindersettings"
        verbose_name = _("cấu hình nhắc hạn")
        verbose_name_plural = _("cấu hình nhắc hạn")
        constraints = [models.CheckConstraint(name="reminder_settings_single_row", condition=Q(pk=1))]

    def __str__(self):
        return str(_("Cấu hình nhắc hạn"))

    @property
    def offsets(self) -> list[int]:
        return sorted({int(n) for n in self.days_before.split(",") if n.strip() and int(n) > 0}, reverse=True)


class ReminderKind(models.TextChoices):
    """Why a person is reminded about an assignment on a day; one kind per assignment, person and day."""

    BEFORE_DUE = "before_due", _("Sắp đến hạn")
    DUE = "due", _("Đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    # Overdue after `escalate_after` reminders: the city raises it at its leadership meeting (QĐ 202/QĐ-UBND).
    ESCALATION = "escalation", _("Quá hạn, đã nhắc nhiều lần — báo cáo lãnh đạo")
    # Sent now by a person who follows the unit's work (the city office, the lead department, the district).
    CHASE = "chase", _("Đôn đốc")


# The kinds that remind of a delay: each one that reached the unit counts towards escalation.
OVERDUE_KINDS = [ReminderKind.OVERDUE, ReminderKind.ESCALATION, ReminderKind.CHASE]


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi, sẽ gửi lại")
    SKIPPED = "skipped", _("Bỏ qua")


class Chase(models.Model):
    """One chasing (đôn đốc): a person who follows some units' work reminds them, now, of overdue assignments,
    with a short message. Each assignment and person reminded is a Reminder row of kind CHASE pointing here."""

    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đôn đốc"), on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("lời nhắn"), max_length=1000)
    sent_on = models.DateField(_("ngày đôn đốc"))
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("lần đôn đốc")
        verbose_name_plural = _("đôn đốc")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.sent_on:%d/%m/%Y} — {self.sent_by}"


class Reminder(models.Model):
    """One line of one person's daily digest: this assignment, this person, this day. The log of reminders.

    The unique constraint is what makes the daily job safe to run twice: a second plan for the same day finds
    the rows there already, and a digest only sends rows it has claimed from PENDING/FAILED.
    """

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("giao nhiệm vụ"), on_delete=models.PROTECT, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    kind = models.CharField(_("loại nhắc"), max_length=12, choices=ReminderKind.choices)
    chase = models.ForeignKey(
        Chase,
        verbose_name=_("đôn đốc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminders",
    )
    sent_on = models.DateField(_("ngày nhắc"))
    days_to_due = models.SmallIntegerField(_("số ngày đến hạn"), help_text=_("Âm khi đã quá hạn."))
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    # The Celery task id that claimed the row: a redelivered task (worker killed) may take its own rows back.
    claim_token = models.CharField(max_length=64, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("nhận gửi lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        db_table = "tasks_reminder"
        verbose_name = _("thư nhắc hạn")
        verbose_name_plural = _("nhật ký nhắc hạn")
        ordering = ["-sent_on", "recipient_id", "assignment_id"]
        constraints = [
            # The daily run's rows; a chase may come on the same day, as its own mail.
            models.UniqueConstraint(
                fields=["assignment", "recipient", "sent_on"],
                condition=Q(chase__isnull=True),
                name="one_reminder_per_assignment_person_day",
            ),
            models.UniqueConstraint(
                fields=["chase", "assignment", "recipient"], name="one_chase_reminder_per_assignment_person"
            ),
            models.CheckConstraint(
                name="reminder_chase_has_its_kind",
                condition=Q(chase__isnull=True, kind__in=["before_due", "due", "overdue", "escalation"])
                | Q(chase__isnull=False, kind="chase"),
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "sent_on"], name="reminder_recipient_day_idx"),
            models.Index(fields=["status", "sent_on"], name="reminder_status_day_idx"),
        ]

    def __str__(self):
        return (
            f"{self.sent_on:%d/%m/%Y} {self.get_kind_display()}: {self.assignment_id} → {self.recipient_id}"
        )


class UnreachableUnitsNotice(models.Model):
    """The admins' daily mail of units nobody can be mailed at: one row per day, the guard that sends it once."""

    sent_on = models.DateField(_("ngày"), unique=True)
    units = models.PositiveIntegerField(_("số đơn vị"), default=0)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư báo đơn vị chưa có người nhận")
        verbose_name_plural = _("thư báo đơn vị chưa có người nhận")
        ordering = ["-sent_on"]

    def __str__(self):
        return f"{self.sent_on:%d/%m/%Y}"
