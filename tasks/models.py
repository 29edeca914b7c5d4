from datetime import date

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.importlog import ImportLog
from org import units
from org.models import Department, UnitMember
from plans.models import LegalDocument

from .reference import attach_reference, reference_objects
from .status import Status, compute_status, exists_q, status_expression


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
    # The day the task was given: its document's date for a plan's own tasks, the import's day (or the file's
    # date) for imported ones. Units that existed that day receive it when it is given to every unit.
    given_on = models.DateField(_("ngày giao"))
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
    _units_from_memory = False
    _reference = None

    def units_from_memory(self, reference=None):
        """Rows whose unit (with its district) and whose task's document are taken from the reference data the
        process keeps (tasks.reference) rather than joined: fifty rows joined seven tables, and PostgreSQL spent
        six times longer planning that query than running it (bench/, docs/benchmarks.md). Until a page that
        lists reference data (a filter form, the dashboard) has read it into this process, they are joined as
        before. `reference`: the page's tasks.reference.Reference, when it has one (no second token read). The
        task is still joined by the caller that shows it (select_related)."""
        clone = self._chain()
        clone._units_from_memory = True
        clone._reference = reference
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._units_from_memory = self._units_from_memory
        clone._reference = self._reference
        return clone

    def _fetch_all(self):
        kept = None
        if self._result_cache is None and self._units_from_memory and self._iterable_class is ModelIterable:
            kept = self._reference or reference_objects()
            if not kept.has("departments", "units", "documents"):
                kept = None
                joins = ["department", "district", "ward__district"]
                if isinstance(self.query.select_related, dict) and "task" in self.query.select_related:
                    joins.append("task__document")
                self.query.add_select_related(joins)
        super()._fetch_all()
        if kept is not None:
            attach_reference(self._result_cache, kept)

    def existing_on(self, day: date):
        """The assignments that existed on `day`: given by then, and not yet ended (handed over with their unit)."""
        return self.filter(exists_q(day))

    def with_status(self, as_of: date):
        return self.annotate(status=status_expression(as_of))

    def for_district(self, district):
        """The district's own assignments and those of its wards."""
        return self.filter(Q(district=district) | Q(ward__district=district))

    def awaiting_hand_over(self):
        """Ended with their unit while not done, and passed to nobody yet: no successor is on record (the
        01/01/2025 step gives none, the districts of 30/06/2025 have none), so the city decides."""
        not_done = Q(completed_on__isnull=True) | Q(completed_on__gt=F("ended_on"))
        return self.filter(not_done, ended_on__isnull=False, handed_over_to__isnull=True)


class Assignment(UnitMember):
    """One task given to one unit (a department, a district or a ward), with its own deadline.

    `due_on` is the deadline in force for the status; `original_due_on` is the deadline first given and
    never changes. `percent` and `completed_on` follow the unit's reports (see services.progress_report).
    """

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.PROTECT, related_name="assignments"
    )
    # The assignment exists from `given_on` to `ended_on` (both included): the day its unit ended, when the
    # assignment then passed to the unit's successors (Nghị quyết 190/2025/QH15: the receiving body takes over
    # the tasks). Figures as of a day count only the assignments that existed that day.
    given_on = models.DateField(_("ngày giao"))
    ended_on = models.DateField(
        _("ngày kết thúc"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Ngày cuối cùng còn thuộc đơn vị (đơn vị thôi tồn tại; việc chưa xong được chuyển giao)."
        ),
    )
    handed_over_from = models.ManyToManyField(
        "self",
        verbose_name=_("nhận chuyển giao từ"),
        symmetrical=False,
        blank=True,
        related_name="handed_over_to",
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
            models.CheckConstraint(name="assignment_has_exactly_one_unit", condition=units.exactly_one()),
            models.CheckConstraint(name="assignment_percent_0_100", condition=Q(percent__lte=100)),
            models.CheckConstraint(
                name="assignment_ends_after_it_is_given",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("given_on")),
            ),
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

    def exists_on(self, day: date) -> bool:
        return self.given_on <= day and (self.ended_on is None or day <= self.ended_on)

    def status_on(self, as_of: date) -> Status:
        """The status as of `as_of`; after the assignment ended, as it stood on its last day."""
        if self.ended_on is not None and as_of > self.ended_on:
            as_of = self.ended_on
        return compute_status(due_on=self.due_on, completed_on=self.completed_on, as_of=as_of)

    @property
    def was_handed_over(self) -> bool:
        """Ended while not done: it passed to the unit's successors (or waits for the city to say to whom)."""
        return self.ended_on is not None and (self.completed_on is None or self.completed_on > self.ended_on)

    @property
    def current_status(self) -> Status:
        return self.status_on(timezone.localdate())


class AwaitingHandOver(Assignment):
    """The admin's list of assignments waiting for the city to say who takes them over."""

    class Meta:
        proxy = True
        verbose_name = _("việc chờ quyết định chuyển giao")
        verbose_name_plural = _("việc chờ quyết định chuyển giao")


class TaskImport(ImportLog):
    """One upload of a plan's task list (see ImportLog)."""

    class Meta(ImportLog.Meta):
        verbose_name = _("lần nhập nhiệm vụ")
        verbose_name_plural = _("nhật ký nhập nhiệm vụ")


class RankingRule(models.Model):
    """How the emulation ranking (thi đua) judges units, one row (pk 1) that admins edit: a unit with fewer due
    assignments than `min_due` is not ranked, since one or two tasks make a rate of 0 % or 100 % by chance."""

    min_due = models.PositiveSmallIntegerField(
        _("số việc đến hạn tối thiểu để xếp hạng"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Đơn vị có ít việc đã đến hạn hơn số này không được xếp hạng thi đua."),
    )

    class Meta:
        verbose_name = _("quy tắc xếp hạng thi đua")
        verbose_name_plural = _("quy tắc xếp hạng thi đua")
        constraints = [models.CheckConstraint(name="ranking_rule_single_row", condition=Q(pk=1))]

    def __str__(self):
        return str(_("Quy tắc xếp hạng thi đua"))

    @classmethod
    def current(cls) -> "RankingRule":
        """The admins' row, or the default before anyone saved one."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class StatusSummary(models.Model):
    """How many assignments that existed on `day` each (lead department, unit) pair had in each status as of `day`:
    the totals of the dashboard and the period report without reading every assignment (bench/: at scale M,
    about 5,000 rows a day for 60,000 assignments).

    Derived data, never typed in: services.status_summary_refresh recounts the units a write touched, in the
    write's transaction, for every day kept (StatusSummaryDay); a day is counted whole the first time a page asks
    for it. tests/tasks/test_status_summary.py holds it to a recount after every kind of write.
    """

    day = models.DateField()
    lead_department_id = models.BigIntegerField(null=True)
    department_id = models.BigIntegerField(null=True)
    district_id = models.BigIntegerField(null=True)
    ward_id = models.BigIntegerField(null=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day"])]
        verbose_name = _("số liệu tổng hợp (tự tính)")
        verbose_name_plural = _("số liệu tổng hợp (tự tính)")

    def __str__(self):
        return f"{self.day} {self.status}: {self.n}"


class StatusSummaryDay(models.Model):
    """A day whose StatusSummary rows are kept up to date (services.summary_days)."""

    day = models.DateField(primary_key=True)
    counted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ngày có số liệu tổng hợp")
        verbose_name_plural = _("ngày có số liệu tổng hợp")

    def __str__(self):
        return str(self.day)
