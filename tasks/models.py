from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.importlog import ImportLog
from org import units
from org.models import Department, UnitMember
from plans.models import LegalDocument

from .status import Status, compute_status, status_expression


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


class Assignment(UnitMember):
    """One task given to one unit (a department, a district or a ward), with its own deadline.

    `due_on` is the deadline in force for the status; `original_due_on` is the deadline first given and
    never changes. `percent` and `completed_on` follow the unit's reports (see services.progress_report).
    """

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.PROTECT, related_name="assignments"
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

    def status_on(self, as_of: date) -> Status:
        return compute_status(due_on=self.due_on, completed_on=self.completed_on, as_of=as_of)

    @property
    def current_status(self) -> Status:
        return self.status_on(timezone.localdate())


class TaskImport(ImportLog):
    """One upload of a plan's task list (see ImportLog)."""

    class Meta(ImportLog.Meta):
        verbose_name = _("lần nhập nhiệm vụ")
        verbose_name_plural = _("nhật ký nhập nhiệm vụ")
