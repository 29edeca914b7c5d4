"""Reporting on assignments: progress reports, their reviews and evidence, extension requests and decisions, each
unit's reporting policy, and the roles that say who may do which.

The tables keep the names they had in the tasks app, where these first lived (no data was moved).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org import units
from org.models import UnitMember
from tasks.models import Assignment

from .evidence import name_with_extension


class ProgressUpdateQuerySet(models.QuerySet):
    def with_review_state(self):
        """Annotate `head_outcome` and `city_outcome` (None while undecided), from the reviews' own rows."""
        reviews = ReportReview.objects.filter(update=models.OuterRef("pk"))
        return self.annotate(
            head_outcome=models.Subquery(reviews.filter(stage=ReviewStage.UNIT_HEAD).values("outcome")[:1]),
            city_outcome=models.Subquery(reviews.filter(stage=ReviewStage.CITY).values("outcome")[:1]),
        )

    # Written as LEFT JOINs to each stage's review (at most one per stage), not as NOT EXISTS: PostgreSQL then
    # plans a hash join over the two tables, where the NOT EXISTS form was costed so high that it compiled the
    # query first (JIT), five times slower at scale M. The navigation counts these on every reviewer's page.
    def awaiting_head(self):
        """Reports that the unit's head has still to approve."""
        return self.annotate(
            head_review=models.FilteredRelation("reviews", condition=Q(reviews__stage=ReviewStage.UNIT_HEAD))
        ).filter(needs_head_approval=True, head_review__isnull=True)

    def awaiting_city(self):
        """Reports that the city office has still to confirm or return (the unit's head approved where needed)."""
        return self.annotate(
            city_review=models.FilteredRelation("reviews", condition=Q(reviews__stage=ReviewStage.CITY)),
            head_review=models.FilteredRelation("reviews", condition=Q(reviews__stage=ReviewStage.UNIT_HEAD)),
        ).filter(
            Q(needs_head_approval=False) | Q(head_review__outcome=ReviewOutcome.APPROVED),
            city_review__isnull=True,
        )


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
        db_table = "tasks_progressupdate"
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
        db_table = "tasks_reportreview"
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
    """A file attached to a report. Served only through reporting:evidence_download, which checks read access."""

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
        db_table = "tasks_evidence"
        verbose_name = _("tài liệu minh chứng")
        verbose_name_plural = _("tài liệu minh chứng")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("reporting:evidence_download", args=[self.pk])

    @property
    def download_name(self) -> str:
        """The name it is served under: its extension is always that of its checked type (files stored before
        names were made to match included)."""
        return name_with_extension(self.original_name, self.extension)


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
    # The unit's letter asking for it (tờ trình, công văn), when there is one.
    document_number = models.CharField(_("số văn bản đề nghị"), max_length=64, blank=True)
    document_date = models.DateField(_("ngày văn bản đề nghị"), null=True, blank=True)

    class Meta:
        db_table = "tasks_extensionrequest"
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

    @property
    def document_label(self) -> str:
        return document_label(self.document_number, self.document_date)


def document_label(number: str, day) -> str:
    if not number:
        return ""
    if day is None:
        return str(_("số %(number)s") % {"number": number})
    return str(_("số %(number)s ngày %(day)s") % {"number": number, "day": day.strftime("%d/%m/%Y")})


class ExtensionDecision(models.Model):
    """A reviewer's answer to an extension request.

    `effective` records whether the new deadline counts: only an approval given on or before the deadline in
    force moves it; a late approval stays on record but on-time counts keep the deadline that had passed.
    """

    request = models.OneToOneField(
        ExtensionRequest, verbose_name=_("đề nghị"), on_delete=models.PROTECT, related_name="decision"
    )
    approved = models.BooleanField(_("đồng ý"))
    # The deadline granted: the one asked, or another the reviewer chose (with a reason). None when refused.
    granted_due_on = models.DateField(_("thời hạn được chấp thuận"), null=True, blank=True)
    # The office's written answer (văn bản trả lời), when there is one.
    document_number = models.CharField(_("số văn bản quyết định"), max_length=64, blank=True)
    document_date = models.DateField(_("ngày văn bản quyết định"), null=True, blank=True)
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
        db_table = "tasks_extensiondecision"
        verbose_name = _("quyết định gia hạn")
        verbose_name_plural = _("quyết định gia hạn")
        constraints = [
            models.CheckConstraint(
                name="extension_effective_only_if_approved", condition=Q(approved=True) | Q(effective=False)
            ),
            models.CheckConstraint(
                name="extension_refusal_has_reason", condition=Q(approved=True) | ~Q(reason="")
            ),
            models.CheckConstraint(
                name="extension_granted_date_iff_approved",
                condition=Q(approved=True, granted_due_on__isnull=False)
                | Q(approved=False, granted_due_on__isnull=True),
            ),
        ]

    def __str__(self):
        return str(_("Đồng ý") if self.approved else _("Từ chối"))

    @property
    def document_label(self) -> str:
        """E.g. "số 12/VP-KSTT ngày 05/03/2025"; empty when the decision has no document."""
        return document_label(self.document_number, self.document_date)


class UnitPolicy(UnitMember):
    """A unit's own rules for its reports.

    `head_approval_required`: the unit's head approves each staff report before it goes to the city office.
    """

    head_approval_required = models.BooleanField(_("lãnh đạo đơn vị duyệt báo cáo trước"), default=False)

    class Meta:
        db_table = "tasks_unitpolicy"
        verbose_name = _("quy định báo cáo của đơn vị")
        verbose_name_plural = _("quy định báo cáo của đơn vị")
        constraints = [
            models.CheckConstraint(name="policy_has_exactly_one_unit", condition=units.exactly_one()),
            # One policy per unit.
            *(
                models.UniqueConstraint(
                    fields=[kind], condition=Q(**{f"{kind}__isnull": False}), name=f"one_policy_per_{kind}"
                )
                for kind in ("department", "district", "ward")
            ),
        ]

    def __str__(self):
        return str(self.unit)

    @classmethod
    def head_approval_for(cls, assignment: Assignment) -> bool:
        return cls.objects.filter(
            units.members_of_keys([assignment.unit_key]), head_approval_required=True
        ).exists()


class Role(models.TextChoices):
    """The portal's roles; each is a Django group of the same name (see services.roles_ensure)."""

    CITY_OFFICIAL = "city_official", _("Lãnh đạo, chuyên viên thành phố (xem)")
    UNIT_STAFF = "unit_staff", _("Cán bộ đơn vị (báo cáo)")
    UNIT_HEAD = "unit_head", _("Lãnh đạo đơn vị (duyệt báo cáo)")
    REVIEWER = "reviewer", _("Chuyên viên Văn phòng UBND TP (xác nhận)")


# What each role may do, in one line, where admins choose a user's roles.
ROLE_DESCRIPTIONS = {
    Role.CITY_OFFICIAL: _("Xem tình hình mọi đơn vị; không báo cáo, không duyệt. Không cần thuộc đơn vị."),
    Role.UNIT_STAFF: _("Báo cáo tiến độ, đề nghị gia hạn các nhiệm vụ của đơn vị mình. Phải chọn đơn vị."),
    Role.UNIT_HEAD: _(
        "Như cán bộ đơn vị, và duyệt báo cáo của đơn vị trước khi gửi thành phố. Phải chọn đơn vị."
    ),
    Role.REVIEWER: _(
        "Xác nhận hoặc trả lại báo cáo, quyết định gia hạn, đôn đốc mọi đơn vị (Văn phòng UBND TP)."
    ),
}

# Roles that act for a unit: a user holding one must belong to a unit, or can do nothing with it.
ROLES_NEEDING_A_UNIT = {Role.UNIT_STAFF, Role.UNIT_HEAD}
