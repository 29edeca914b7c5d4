import hashlib
import logging
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqdt_portal.lib.reference_data import parse_date
from cqdt_portal.lib.seeding import upsert
from org.models import Department
from plans.models import LegalDocument
from wards.models import District, Ward

from .evidence import EvidenceFile
from .imports import TaskPlan, plan_tasks, row_values
from .models import (
    Assignment,
    Evidence,
    ExtensionDecision,
    ExtensionRequest,
    ProgressUpdate,
    ReportReview,
    ReportState,
    ReviewOutcome,
    ReviewStage,
    Task,
    TaskImport,
    TaskScope,
    UnitPolicy,
)

logger = logging.getLogger(__name__)


class StaleVersion(Exception):
    """The assignment changed since the form was read; the caller shows the newer state."""


class TaskImportRefused(Exception):
    """A task list cannot be applied; `plan` (when there is one) holds the refused rows."""

    def __init__(self, message: str, plan: TaskPlan | None = None):
        super().__init__(message)
        self.plan = plan


def assignments_sync(*, task: Task) -> int:
    """Give a task scoped to "every district/ward" to each active unit that lacks it. Returns how many were added.

    Existing assignments, those of retired wards included, are kept as they are.
    """
    units = []
    if task.scope in (TaskScope.EVERY_DISTRICT, TaskScope.EVERY_DISTRICT_AND_WARD):
        have = set(task.assignments.filter(district__isnull=False).values_list("district_id", flat=True))
        units += [
            {"district": d}
            for d in District.objects.active().filter(wards__isnull=False).distinct()
            if d.pk not in have
        ]
    if task.scope in (TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD):
        have = set(task.assignments.filter(ward__isnull=False).values_list("ward_id", flat=True))
        units += [{"ward": w} for w in Ward.objects.active() if w.pk not in have]
    Assignment.objects.bulk_create(
        [Assignment(task=task, due_on=task.due_on, original_due_on=task.due_on, **unit) for unit in units]
    )
    return len(units)


def assignments_sync_all() -> int:
    """assignments_sync() for every task given to every ward or district, in a fixed number of queries:
    the missing (task, unit) pairs are found as sets and created in bulk. Returns how many were added."""
    ward_scopes = (TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD)
    district_scopes = (TaskScope.EVERY_DISTRICT, TaskScope.EVERY_DISTRICT_AND_WARD)
    tasks = list(
        Task.objects.filter(scope__in=set(ward_scopes) | set(district_scopes)).only("pk", "scope", "due_on")
    )
    wards = list(Ward.objects.active().values_list("pk", flat=True))
    districts = list(
        District.objects.active().filter(wards__isnull=False).distinct().values_list("pk", flat=True)
    )
    existing = Assignment.objects.filter(task__in=tasks)
    have_wards = set(existing.filter(ward__isnull=False).values_list("task_id", "ward_id"))
    have_districts = set(existing.filter(district__isnull=False).values_list("task_id", "district_id"))
    new = []
    for task in tasks:
        due = {"due_on": task.due_on, "original_due_on": task.due_on}
        if task.scope in ward_scopes:
            new += [Assignment(task=task, ward_id=w, **due) for w in wards if (task.pk, w) not in have_wards]
        if task.scope in district_scopes:
            new += [
                Assignment(task=task, district_id=d, **due)
                for d in districts
                if (task.pk, d) not in have_districts
            ]
    Assignment.objects.bulk_create(new, batch_size=2000)
    return len(new)


@transaction.atomic
def plan_tasks_seed(*, document_number: str, tasks: list[dict]) -> dict:
    """Create or update a plan's tasks and their assignments (one per unit; one per active ward for "every ward")."""
    document = LegalDocument.objects.get(number=document_number)
    counts: dict = {}
    for item in tasks:
        lead = Department.objects.get(code=item["lead"]) if item.get("lead") else None
        due_on = parse_date(item["due_on"])
        task, outcome = upsert(
            Task,
            lookup={"document": document, "title": item["title"]},
            values={
                "section": item.get("section", ""),
                "description": item.get("description", ""),
                "lead_department": lead,
                "lead_label": item.get("lead_label", ""),
                "coordination_note": item.get("coordination_note", ""),
                "scope": item["scope"],
                "due_on": due_on,
                "deadline_is_illustrative": item.get("deadline_is_illustrative", False),
                "is_illustrative": item.get("is_illustrative", False),
            },
            counts=counts,
        )
        coordinating = Department.objects.filter(code__in=item.get("coordinating", []))
        if set(task.coordinating_departments.all()) != set(coordinating):
            task.coordinating_departments.set(coordinating)
        added = assignments_sync(task=task)
        for department in Department.objects.filter(code__in=item.get("assign_to", [])):
            if not task.assignments.filter(department=department).exists():
                Assignment.objects.create(
                    task=task, department=department, due_on=due_on, original_due_on=due_on
                )
                added += 1
        counts["assignments_created"] = counts.get("assignments_created", 0) + added
    return counts


def _errors_if_any(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def progress_report(
    *,
    assignment: Assignment,
    by,
    percent: int,
    note: str = "",
    completed_on: date | None = None,
    outgoing_number: str = "",
    outgoing_date: date | None = None,
    evidence: list[EvidenceFile] = (),
    expected_version: int | None = None,
    reported_at: datetime | None = None,
) -> ProgressUpdate:
    """Record a unit's report; it moves the assignment only once confirmed (see report_review).

    A report of 100 % completes the assignment on `completed_on` (default: the report's date) and needs a note
    or evidence. Refuses a stale form (expected_version ≠ the assignment's version): StaleVersion.
    Evidence files are stored under generated names; if anything fails they are removed again.
    """
    reported_at = reported_at or timezone.now()
    report_day = timezone.localdate(reported_at)
    errors = {}
    if not 0 <= percent <= 100:
        errors["percent"] = _("Tiến độ phải từ 0 đến 100%.")
    if percent == 100:
        completed_on = completed_on or report_day
        if not note.strip() and not evidence:
            errors["note"] = _("Báo cáo hoàn thành cần có nội dung hoặc tài liệu kèm theo.")
    elif completed_on is not None:
        errors["completed_on"] = _("Chỉ ghi ngày hoàn thành khi tiến độ là 100%.")
    if completed_on and completed_on > report_day:
        errors["completed_on"] = _("Ngày hoàn thành không được sau ngày báo cáo.")
    if outgoing_date and outgoing_date > report_day:
        errors["outgoing_date"] = _("Ngày văn bản không được sau ngày báo cáo.")
    _errors_if_any(errors)

    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
            if expected_version is not None and locked.version != expected_version:
                raise StaleVersion()
            needs_head = UnitPolicy.head_approval_for(locked) and not (
                by.has_perm("tasks.approve_unit_report") and _is_own_unit(by, locked)
            )
            update = ProgressUpdate.objects.create(
                assignment=locked,
                author=by,
                reported_at=reported_at,
                percent=percent,
                note=note,
                completed_on=completed_on,
                outgoing_number=outgoing_number,
                outgoing_date=outgoing_date,
                needs_head_approval=needs_head,
            )
            for item in evidence:
                row = Evidence(
                    update=update,
                    original_name=item.original_name,
                    content_type=item.content_type,
                    extension=item.extension,
                    size=item.size,
                    uploaded_at=reported_at,
                )
                item.file.seek(0)
                row.file.save(item.original_name, item.file, save=False)
                stored.append(row)
                row.save()
            locked.last_reported_at = reported_at
            locked.version += 1
            locked.save(update_fields=["last_reported_at", "version"])
    except BaseException:
        for row in stored:
            row.file.storage.delete(row.file.name)
        raise
    assignment.refresh_from_db()
    return update


def _is_own_unit(user, assignment: Assignment) -> bool:
    field = assignment.unit_kind.value
    return getattr(user, f"{field}_id") == getattr(assignment, f"{field}_id")


class NotAwaiting(Exception):
    """The report or request was decided already (perhaps by someone else a moment ago)."""


def _assignment_follow_confirmed(locked: Assignment) -> None:
    """The assignment's percent and completion date are those of its latest confirmed report."""
    latest = (
        ProgressUpdate.objects.filter(
            assignment=locked,
            reviews__stage=ReviewStage.CITY,
            reviews__outcome=ReviewOutcome.APPROVED,
        )
        .order_by("-reported_at", "-pk")
        .first()
    )
    locked.percent = latest.percent if latest else 0
    locked.completed_on = latest.completed_on if latest else None


@transaction.atomic
def report_review(
    *,
    update: ProgressUpdate,
    by,
    stage: ReviewStage,
    outcome: ReviewOutcome,
    reason: str = "",
    decided_at: datetime | None = None,
) -> ReportReview:
    """Decide a report at one stage. A city confirmation moves the assignment to its latest confirmed report.

    Raises ValidationError (a return needs its reason) or NotAwaiting (not at this stage any more). Who may
    decide is for tasks/access.py.
    """
    reason = reason.strip()
    if outcome == ReviewOutcome.RETURNED and not reason:
        raise ValidationError({"reason": _("Cần ghi lý do trả lại để đơn vị biết và báo cáo lại.")})
    # Lock the assignment: two reviewers deciding at once, or a decision racing a new report, are serialised.
    locked = Assignment.objects.select_for_update().get(pk=update.assignment_id)
    current = ProgressUpdate.objects.with_review_state().get(pk=update.pk)
    awaited = {
        ReviewStage.UNIT_HEAD: ReportState.AWAITING_HEAD,
        ReviewStage.CITY: ReportState.AWAITING_CITY,
    }[stage]
    if current.state != awaited:
        raise NotAwaiting()
    review = ReportReview.objects.create(
        update=current,
        stage=stage,
        outcome=outcome,
        reason=reason,
        reviewer=by,
        decided_at=decided_at or timezone.now(),
    )
    if stage == ReviewStage.CITY and outcome == ReviewOutcome.APPROVED:
        _assignment_follow_confirmed(locked)
        locked.version += 1
        locked.save(update_fields=["percent", "completed_on", "version"])
    return review


@transaction.atomic
def reports_review_many(
    *,
    decisions: list[tuple[ProgressUpdate, ReviewStage]],
    by,
    outcome: ReviewOutcome = ReviewOutcome.APPROVED,
) -> list[ReportReview]:
    """Decide several reports at once: all of them, or (on any error) none."""
    return [report_review(update=u, by=by, stage=stage, outcome=outcome) for u, stage in decisions]


@transaction.atomic
def extension_request(
    *,
    assignment: Assignment,
    by,
    requested_due_on: date,
    reason: str,
    requested_at: datetime | None = None,
) -> ExtensionRequest:
    """A unit asks to move its deadline. One open request at a time; a done assignment needs none."""
    requested_at = requested_at or timezone.now()
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Cần nêu lý do đề nghị gia hạn.")
    if requested_due_on <= locked.due_on:
        errors["requested_due_on"] = _("Thời hạn đề nghị phải sau thời hạn hiện tại (%(due)s).") % {
            "due": locked.due_on.strftime("%d/%m/%Y")
        }
    if locked.completed_on is not None:
        errors["__all__"] = _("Nhiệm vụ đã hoàn thành, không cần gia hạn.")
    elif locked.extension_requests.filter(decision__isnull=True).exists():
        errors["__all__"] = _("Đã có một đề nghị gia hạn đang chờ quyết định.")
    _errors_if_any(errors)
    return ExtensionRequest.objects.create(
        assignment=locked,
        requested_by=by,
        requested_at=requested_at,
        current_due_on=locked.due_on,
        requested_due_on=requested_due_on,
        reason=reason.strip(),
    )


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, by, approved: bool, reason: str = "", decided_at: datetime | None = None
) -> ExtensionDecision:
    """Approve or refuse an extension. The original deadline (original_due_on) never changes.

    An approval moves the deadline in force (due_on) only when given on or before that deadline: on-time
    counts keep a deadline that has already passed. A late approval is recorded, with effective=False.
    """
    decided_at = decided_at or timezone.now()
    reason = reason.strip()
    if not approved and not reason:
        raise ValidationError({"reason": _("Cần nêu lý do từ chối gia hạn.")})
    locked = Assignment.objects.select_for_update().get(pk=request.assignment_id)
    if ExtensionDecision.objects.filter(request=request).exists():
        raise NotAwaiting()
    effective = approved and timezone.localdate(decided_at) <= locked.due_on
    decision = ExtensionDecision.objects.create(
        request=request,
        approved=approved,
        effective=effective,
        reason=reason,
        decided_by=by,
        decided_at=decided_at,
    )
    if effective:
        locked.due_on = request.requested_due_on
        locked.version += 1
        locked.save(update_fields=["due_on", "version"])
    return decision


def tasks_import_stage(*, file_name: str, content: bytes, by=None) -> tuple[TaskImport, TaskPlan]:
    """Read a plan's task list and keep it, unapplied, for its preview. Raises TaskFileError if unreadable."""
    plan = plan_tasks(content)
    task_import = TaskImport.objects.create(
        file_name=file_name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=by,
        summary=plan.summary(),
    )
    return task_import, plan


def _fingerprint(summary: dict) -> dict:
    return {key: sorted((i["document"], i["title"]) for i in summary[key]) for key in ("created", "updated")}


@transaction.atomic
def tasks_import_apply(*, task_import: TaskImport) -> TaskPlan:
    """Apply a staged task list in one transaction: re-read the kept file, re-check it, and refuse unless it
    does what the preview showed. Tasks are created or updated; assignments are only ever added."""
    locked = TaskImport.objects.select_for_update().get(pk=task_import.pk)
    if locked.state != TaskImport.State.PREVIEWED:
        raise TaskImportRefused(_("Lần nhập này đã được áp dụng."))
    plan = plan_tasks(bytes(locked.content))
    if not plan.can_apply:
        raise TaskImportRefused(
            _("Tệp có {n} dòng bị từ chối; chưa ghi gì vào cơ sở dữ liệu.").format(n=len(plan.refused)), plan
        )
    if _fingerprint(plan.summary()) != _fingerprint(locked.summary):
        raise TaskImportRefused(
            _("Dữ liệu đã thay đổi từ khi xem trước; hãy tải tệp lên và xem trước lại."), plan
        )
    departments = {d.code: d for d in Department.objects.all()}
    documents = {
        d.number: d for d in LegalDocument.objects.filter(number__in={r.document for r in plan.rows})
    }
    for row in plan.rows:
        task, _outcome = upsert(
            Task,
            lookup={"document": documents[row.document], "title": row.title},
            values=row_values(row, departments),
        )
        coordinating = [departments[code] for code in row.coordinating]
        if set(task.coordinating_departments.all()) != set(coordinating):
            task.coordinating_departments.set(coordinating)
        assignments_sync(task=task)
        lead = departments.get(row.lead_department)
        if row.scope == TaskScope.UNITS and lead and not task.assignments.filter(department=lead).exists():
            Assignment.objects.create(
                task=task, department=lead, due_on=task.due_on, original_due_on=task.due_on
            )
    locked.state = TaskImport.State.APPLIED
    locked.applied_at = timezone.now()
    locked.summary = plan.summary()
    locked.save(update_fields=["state", "applied_at", "summary"])
    task_import.refresh_from_db()
    return plan


@transaction.atomic
def tasks_import(*, file_name: str, content: bytes, by=None) -> tuple[TaskImport, TaskPlan]:
    """Stage and apply at once (the management command): all of it or nothing."""
    task_import, plan = tasks_import_stage(file_name=file_name, content=content, by=by)
    if not plan.can_apply:
        raise TaskImportRefused(
            _("Tệp có {n} dòng bị từ chối; chưa ghi gì vào cơ sở dữ liệu.").format(n=len(plan.refused)), plan
        )
    return task_import, tasks_import_apply(task_import=task_import)
