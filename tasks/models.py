from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator, validate_comma_separated_integer_list
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import LegalDocument
from wards.models import District, Ward


class Status(models.TextChoices):
    """The four statuses of the Government Office's reports, derived from dates, never set by hand.

    Done: on time when the completion date is on or before the deadline in force. Not done: within the
    deadline up to and including the due day, overdue from the day after.
    """

    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    OPEN_ON_TIME = "open_on_time", _("Chưa hoàn thành – trong hạn")
    OVERDUE = "overdue", _("Chưa hoàn thành – quá hạn")


# A short symbol for each status, so that a colour is never the only sign (tables, the ward matrix).
STATUS_SYMBOLS = {
    Status.DONE_ON_TIME: "✓",
    Status.DONE_LATE: "✓!",
    Status.OPEN_ON_TIME: "○",
    Status.OVERDUE: "✗",
}


def compute_status(*, due_on: date, completed_on: date | None, as_of: date) -> Status:
    """The status as at `as_of`. A completion dated after `as_of` had not happened yet then."""
    if completed_on is not None and completed_on <= as_of:
        return Status.DONE_ON_TIME if completed_on <= due_on else Status.DONE_LATE
    return Status.OPEN_ON_TIME if as_of <= due_on else Status.OVERDUE


def status_expression(as_of: date):
    """compute_status() as SQL, so lists and counts are filtered and aggregated in the database."""
    done = Q(completed_on__isnull=False, completed_on__lte=as_of)
    return Case(
        When(done & Q(completed_on__lte=F("due_on")), then=Value(Status.DONE_ON_TIME.value)),
        When(done, then=Value(Status.DONE_LATE.value)),
        When(due_on__gte=as_of, then=Value(Status.OPEN_ON_TIME.value)),
        default=Value(Status.OVERDUE.value),
        output_field=CharField(),
    )


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("Quận, thị xã")
    WARD = "ward", _("Phường")


class DepartmentKind(models.TextChoices):
    CITY = "ubnd_tp", _("UBND thành phố")
    OFFICE = "van_phong", _("Văn phòng")
    DEPARTMENT = "so", _("Sở")
    BOARD = "ban", _("Ban")
    AGENCY = "nganh", _("Ngành, cơ quan khác")


class Department(models.Model):
    """A city-level unit that leads or carries out tasks: UBND thành phố, its office, a sở, a ban…"""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200, unique=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=40, blank=True)
    kind = models.CharField(_("loại"), max_length=12, choices=DepartmentKind.choices)
    retired_on = models.DateField(_("ngày giải thể/sáp nhập"), null=True, blank=True)

    class Meta:
        verbose_name = _("sở, ban, ngành")
        verbose_name_plural = _("sở, ban, ngành")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tasks:department_detail", args=[self.code])


class TaskScope(models.TextChoices):
    UNITS = "units", _("Các đơn vị được giao")
    EVERY_DISTRICT = "every_district", _("Mọi quận, thị xã")
    EVERY_WARD = "every_ward", _("Mọi phường")
    EVERY_DISTRICT_AND_WARD = "every_district_and_ward", _("Mọi quận, thị xã và phường")


class Task(models.Model):
    """A duty that a document gives, led by one unit (chủ trì) with others (phối hợp)."""

    document = models.ForeignKey(
        LegalDocument, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="tasks"
    )
    section = models.CharField(_("mục, điểm"), max_length=100, blank=True)
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    description = models.TextField(_("nội dung"), blank=True)
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị chủ trì"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
    )
    lead_label = models.CharField(
        _("đơn vị chủ trì (khác)"),
        max_length=200,
        blank=True,
        help_text=_("Khi chủ trì là từng quận, thị xã hay phường, ví dụ: UBND các quận, thị xã."),
    )
    coordinating_departments = models.ManyToManyField(
        Department, verbose_name=_("đơn vị phối hợp"), blank=True, related_name="coordinated_tasks"
    )
    coordination_note = models.CharField(_("phối hợp (ghi chú)"), max_length=300, blank=True)
    scope = models.CharField(
        _("phạm vi giao"), max_length=30, choices=TaskScope.choices, default=TaskScope.UNITS
    )
    due_on = models.DateField(_("thời hạn"))
    deadline_is_illustrative = models.BooleanField(
        _("thời hạn minh hoạ"),
        default=False,
        help_text=_("Thời hạn không có trong nguồn công khai; đặt để minh hoạ, cần thay bằng thời hạn thật."),
    )
    is_illustrative = models.BooleanField(
        _("nhiệm vụ minh hoạ"), default=False, help_text=_("Nhiệm vụ không có trong kế hoạch thật.")
    )
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["document__issued_on", "document__number", "section", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "title"], name="task_title_unique_per_document")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tasks:task_detail", args=[self.pk])

    @property
    def lead_name(self):
        return self.lead_department.name if self.lead_department_id else self.lead_label


class AssignmentQuerySet(models.QuerySet):
    def with_status(self, as_of: date):
        return self.annotate(status=status_expression(as_of))

    def for_district(self, district):
        """The district's own assignments and those of its wards."""
        return self.filter(Q(district=district) | Q(ward__district=district))


class Assignment(models.Model):
    """One task given to one unit (a department, a district or a ward), with its own deadline.

    `due_on` is the deadline in force for the status; `original_due_on` is the deadline first given and
    never changes. `percent` and `completed_on` follow the unit's reports (see services.progress_report).
    """

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.PROTECT, related_name="assignments"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("sở, ban, ngành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("quận, thị xã"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    ward = models.ForeignKey(
        Ward,
        verbose_name=_("phường"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    due_on = models.DateField(_("thời hạn"))
    original_due_on = models.DateField(_("thời hạn ban đầu"))
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    last_reported_at = models.DateTimeField(_("báo cáo gần nhất"), null=True, blank=True)
    # Optimistic concurrency: a form carries the version it was read at; a write on a stale version is refused.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("ngày giao"), default=timezone.now)
    # Set by the reminder run the first time the assignment is still overdue after the set number of reminders;
    # the dashboard lists these for the city leadership's meeting (see selectors.escalated_assignments).
    escalated_at = models.DateTimeField(_("báo cáo lãnh đạo từ"), null=True, blank=True, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("giao nhiệm vụ")
        verbose_name_plural = _("giao nhiệm vụ")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["due_on"], name="assignment_due_idx"),
            models.Index(fields=["completed_on"], name="assignment_completed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="assignment_has_exactly_one_unit",
                condition=(
                    Q(department__isnull=False, district__isnull=True, ward__isnull=True)
                    | Q(department__isnull=True, district__isnull=False, ward__isnull=True)
                    | Q(department__isnull=True, district__isnull=True, ward__isnull=False)
                ),
            ),
            models.CheckConstraint(name="assignment_percent_0_100", condition=Q(percent__lte=100)),
            models.CheckConstraint(
                name="assignment_completed_means_100",
                condition=Q(completed_on__isnull=True) | Q(percent=100),
            ),
            models.UniqueConstraint(
                fields=["task", "department"],
                condition=Q(department__isnull=False),
                name="one_assignment_per_dept",
            ),
            models.UniqueConstraint(
                fields=["task", "district"],
                condition=Q(district__isnull=False),
                name="one_assignment_per_district",
            ),
            models.UniqueConstraint(
                fields=["task", "ward"], condition=Q(ward__isnull=False), name="one_assignment_per_ward"
            ),
        ]

    def __str__(self):
        return f"{self.task} — {self.unit}"

    def get_absolute_url(self):
        return reverse("tasks:assignment_detail", args=[self.pk])

    @property
    def unit(self):
        return self.department or self.district or self.ward

    @property
    def unit_kind(self):
        if self.department_id:
            return UnitKind.DEPARTMENT
        return UnitKind.DISTRICT if self.district_id else UnitKind.WARD

    def status_on(self, as_of: date) -> Status:
        return compute_status(due_on=self.due_on, completed_on=self.completed_on, as_of=as_of)

    @property
    def current_status(self) -> Status:
        return self.status_on(timezone.localdate())

    @property
    def is_overdue(self):
        return self.current_status == Status.OVERDUE


class ProgressUpdate(models.Model):
    """A unit's report on an assignment. Append-only: a correction is a new report, never an edit."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("giao nhiệm vụ"), on_delete=models.PROTECT, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo cáo"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
    )
    reported_at = models.DateTimeField(_("thời điểm báo cáo"), default=timezone.now)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    note = models.TextField(_("nội dung báo cáo"), blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    outgoing_number = models.CharField(_("số văn bản báo cáo"), max_length=64, blank=True)
    outgoing_date = models.DateField(_("ngày văn bản báo cáo"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["assignment", "-reported_at"], name="update_assignment_time_idx")]
        constraints = [
            models.CheckConstraint(name="update_percent_0_100", condition=Q(percent__lte=100)),
            models.CheckConstraint(
                name="update_completion_means_100", condition=Q(completed_on__isnull=True) | Q(percent=100)
            ),
        ]

    def __str__(self):
        return f"{self.assignment_id}: {self.percent}% ({self.reported_at:%d/%m/%Y})"


class Holiday(models.Model):
    """A public holiday (Tết, 30/4, 1/5, 2/9…): no reminder is sent on it. Admins keep the table up to date,
    since the days off around Tết and 2/9, and the days in lieu, are announced by the Government each year."""

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên ngày nghỉ"), max_length=200)

    class Meta:
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


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi, sẽ gửi lại")
    SKIPPED = "skipped", _("Bỏ qua")


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
        verbose_name = _("thư nhắc hạn")
        verbose_name_plural = _("nhật ký nhắc hạn")
        ordering = ["-sent_on", "recipient_id", "assignment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "recipient", "sent_on"], name="one_reminder_per_assignment_person_day"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "sent_on"], name="reminder_recipient_day_idx"),
            models.Index(fields=["status", "sent_on"], name="reminder_status_day_idx"),
        ]

    def __str__(self):
        return (
            f"{self.sent_on:%d/%m/%Y} {self.get_kind_display()}: {self.assignment_id} → {self.recipient_id}"
        )
