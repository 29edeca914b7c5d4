import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.importlog import ImportLog
from org import units
from org.models import Department, UnitMember
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

    def get_absolute_url(self):
        return reverse("tasks:assignment_detail", args=[self.pk])

    def status_on(self, as_of: date) -> Status:
        return compute_status(due_on=self.due_on, completed_on=self.completed_on, as_of=as_of)

    @property
    def current_status(self) -> Status:
        return self.status_on(timezone.localdate())

    @property
    def is_overdue(self):
        return self.current_status == Status.OVERDUE


class ProgressUpdateQuerySet(models.QuerySet):
    def with_review_state(self):
        """Annotate `head_outcome` and `city_outcome` (None while undecided), from the reviews' own rows."""
        reviews = ReportReview.objects.filter(update=models.OuterRef("pk"))
        return self.annotate(
            head_outcome=models.Subquery(reviews.filter(stage=ReviewStage.UNIT_HEAD).values("outcome")[:1]),
            city_outcome=models.Subquery(reviews.filter(stage=ReviewStage.CITY).values("outcome")[:1]),
        )

    def awaiting_head(self):
        """Reports that the unit's head has still to approve."""
        head = ReportReview.objects.filter(update=models.OuterRef("pk"), stage=ReviewStage.UNIT_HEAD)
        return self.filter(needs_head_approval=True).exclude(models.Exists(head))

    def awaiting_city(self):
        """Reports that the city office has still to confirm or return (the unit's head approved where needed)."""
        city = ReportReview.objects.filter(update=models.OuterRef("pk"), stage=ReviewStage.CITY)
        head_ok = ReportReview.objects.filter(
            update=models.OuterRef("pk"), stage=ReviewStage.UNIT_HEAD, outcome=ReviewOutcome.APPROVED
        )
        return self.exclude(models.Exists(city)).filter(Q(needs_head_approval=False) | models.Exists(head_ok))


class ReportState(models.TextChoices):
    """Where a report stands, derived from its reviews (never stored)."""

    AWAITING_HEAD = "awaiting_head", _("Chờ lãnh đạo đơn vị duyệt")
    AWAITING_CITY = "awaiting_city", _("Chờ Văn phòng UBND TP xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    RETURNED = "returned", _("Bị trả lại")


# A symbol for each report state, so that colour is never the only sign.
REPORT_STATE_SYMBOLS = {
    ReportState.AWAITING_HEAD: "…",
    ReportState.AWAITING_CITY: "…",
    ReportState.CONFIRMED: "✓",
    ReportState.RETURNED: "↩",
}


def report_state(
    *, needs_head_approval: bool, head_outcome: str | None, city_outcome: str | None
) -> ReportState:
    if head_outcome == ReviewOutcome.RETURNED or city_outcome == ReviewOutcome.RETURNED:
        return ReportState.RETURNED
    if city_outcome == ReviewOutcome.APPROVED:
        return ReportState.CONFIRMED
    if needs_head_approval and head_outcome is None:
        return ReportState.AWAITING_HEAD
    return ReportState.AWAITING_CITY


class ProgressUpdate(models.Model):
    """A unit's report on an assignment. Append-only: a correction is a new report, never an edit.

    A report moves the assignment only once the city office confirms it (see services.report_review);
    its state is derived from its ReportReview rows.
    """

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
    # The unit's policy when the report was made, kept with the report so that a later change of policy
    # does not rewrite where past reports stood.
    needs_head_approval = models.BooleanField(_("cần lãnh đạo đơn vị duyệt"), default=False)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-reported_at", "-pk"]
        permissions = [
            ("report_progress", _("Báo cáo tiến độ nhiệm vụ của đơn vị mình")),
            ("approve_unit_report", _("Duyệt báo cáo của đơn vị mình trước khi gửi thành phố")),
            ("review_report", _("Xác nhận hoặc trả lại báo cáo của các đơn vị")),
            ("decide_extension", _("Duyệt hoặc từ chối gia hạn")),
        ]
        indexes = [models.Index(fields=["assignment", "-reported_at"], name="update_assignment_time_idx")]
        constraints = [
            models.CheckConstraint(name="update_percent_0_100", condition=Q(percent__lte=100)),
            models.CheckConstraint(
                name="update_completion_means_100", condition=Q(completed_on__isnull=True) | Q(percent=100)
            ),
        ]

    def __str__(self):
        return f"{self.assignment_id}: {self.percent}% ({self.reported_at:%d/%m/%Y})"

    @property
    def state(self) -> ReportState:
        """Needs with_review_state() or prefetched `reviews`."""
        if hasattr(self, "city_outcome"):
            head, city = self.head_outcome, self.city_outcome
        else:
            outcomes = {r.stage: r.outcome for r in self.reviews.all()}
            head, city = outcomes.get(ReviewStage.UNIT_HEAD), outcomes.get(ReviewStage.CITY)
        return report_state(
            needs_head_approval=self.needs_head_approval, head_outcome=head, city_outcome=city
        )


class ReviewStage(models.TextChoices):
    UNIT_HEAD = "unit_head", _("Lãnh đạo đơn vị")
    CITY = "city", _("Văn phòng UBND thành phố")


class ReviewOutcome(models.TextChoices):
    APPROVED = "approved", _("Đồng ý")
    RETURNED = "returned", _("Trả lại")


class ReportReview(models.Model):
    """One decision on one report, at one stage: at most one per stage, never edited (the report's state
    is derived from these rows). A returned report stays returned; the unit sends a new report."""

    update = models.ForeignKey(
        ProgressUpdate, verbose_name=_("báo cáo"), on_delete=models.PROTECT, related_name="reviews"
    )
    stage = models.CharField(_("cấp xem xét"), max_length=12, choices=ReviewStage.choices)
    outcome = models.CharField(_("kết quả"), max_length=12, choices=ReviewOutcome.choices)
    reason = models.TextField(_("lý do"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem xét"),
        on_delete=models.PROTECT,
        related_name="report_reviews",
    )
    decided_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("xem xét báo cáo")
        verbose_name_plural = _("xem xét báo cáo")
        ordering = ["decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["update", "stage"], name="one_review_per_stage"),
            # The Government Office's practice: a report is returned with its reason.
            models.CheckConstraint(
                name="review_return_has_reason", condition=~Q(outcome="returned") | ~Q(reason="")
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()}: {self.get_outcome_display()}"


def evidence_upload_to(instance, filename):
    """A generated name: the uploader's name is never used on disk (it is kept in original_name for display)."""
    today = timezone.localdate()
    return f"evidence/{today:%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class Evidence(models.Model):
    """A file attached to a report. Served only through tasks:evidence_download, which checks read access."""

    update = models.ForeignKey(
        ProgressUpdate, verbose_name=_("báo cáo"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=200)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    extension = models.CharField(_("đuôi tệp"), max_length=10)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now)

    class Meta:
        verbose_name = _("tài liệu minh chứng")
        verbose_name_plural = _("tài liệu minh chứng")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("tasks:evidence_download", args=[self.pk])


class ExtensionRequest(models.Model):
    """A unit's request to move its deadline, with its reason. The decision is its own row."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("giao nhiệm vụ"),
        on_delete=models.PROTECT,
        related_name="extension_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        on_delete=models.PROTECT,
        related_name="extension_requests",
    )
    requested_at = models.DateTimeField(_("thời điểm đề nghị"), default=timezone.now)
    current_due_on = models.DateField(_("thời hạn khi đề nghị"))
    requested_due_on = models.DateField(_("thời hạn đề nghị"))
    reason = models.TextField(_("lý do"))

    class Meta:
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="extension_moves_deadline_later", condition=Q(requested_due_on__gt=F("current_due_on"))
            ),
        ]

    def __str__(self):
        return f"{self.assignment_id}: {self.current_due_on:%d/%m/%Y} → {self.requested_due_on:%d/%m/%Y}"


class ExtensionDecision(models.Model):
    """A reviewer's answer to an extension request.

    `effective` records whether the new deadline counts: only an approval given on or before the deadline in
    force moves it; a late approval stays on record but on-time counts keep the deadline that had passed.
    """

    request = models.OneToOneField(
        ExtensionRequest, verbose_name=_("đề nghị"), on_delete=models.PROTECT, related_name="decision"
    )
    approved = models.BooleanField(_("đồng ý"))
    effective = models.BooleanField(_("có hiệu lực với thời hạn"), default=False)
    reason = models.TextField(_("ý kiến"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        on_delete=models.PROTECT,
        related_name="extension_decisions",
    )
    decided_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("quyết định gia hạn")
        verbose_name_plural = _("quyết định gia hạn")
        constraints = [
            models.CheckConstraint(
                name="extension_effective_only_if_approved", condition=Q(approved=True) | Q(effective=False)
            ),
            models.CheckConstraint(
                name="extension_refusal_has_reason", condition=Q(approved=True) | ~Q(reason="")
            ),
        ]

    def __str__(self):
        return str(_("Đồng ý") if self.approved else _("Từ chối"))


class UnitPolicy(models.Model):
    """A unit's own rules for its reports. Kept on the tasks side: wards/ must never depend on tasks/.

    `head_approval_required`: the unit's head approves each staff report before it goes to the city office.
    """

    department = models.OneToOneField(
        Department,
        verbose_name=_("sở, ban, ngành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy",
    )
    district = models.OneToOneField(
        District,
        verbose_name=_("quận, thị xã"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_policy",
    )
    ward = models.OneToOneField(
        Ward,
        verbose_name=_("phường"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_policy",
    )
    head_approval_required = models.BooleanField(_("lãnh đạo đơn vị duyệt báo cáo trước"), default=False)

    class Meta:
        verbose_name = _("quy định báo cáo của đơn vị")
        verbose_name_plural = _("quy định báo cáo của đơn vị")
        constraints = [
            models.CheckConstraint(
                name="policy_has_exactly_one_unit",
                condition=(
                    Q(department__isnull=False, district__isnull=True, ward__isnull=True)
                    | Q(department__isnull=True, district__isnull=False, ward__isnull=True)
                    | Q(department__isnull=True, district__isnull=True, ward__isnull=False)
                ),
            ),
        ]

    def __str__(self):
        return str(self.department or self.district or self.ward)

    @classmethod
    def head_approval_for(cls, assignment: "Assignment") -> bool:
        unit = {assignment.unit_kind.value: assignment.unit}
        return cls.objects.filter(**unit, head_approval_required=True).exists()


class TaskImport(ImportLog):
    """One upload of a plan's task list (see ImportLog)."""

    class Meta(ImportLog.Meta):
        verbose_name = _("lần nhập nhiệm vụ")
        verbose_name_plural = _("nhật ký nhập nhiệm vụ")
