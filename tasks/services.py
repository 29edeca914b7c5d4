import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
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
    Holiday,
    ProgressUpdate,
    Reminder,
    ReminderKind,
    ReminderSettings,
    ReminderStatus,
    ReportReview,
    ReportState,
    ReviewOutcome,
    ReviewStage,
    Task,
    TaskImport,
    TaskScope,
    UnitPolicy,
)
from .selectors import assignments_to_remind, reminders_due

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


# ---- Deadline reminders -------------------------------------------------------------------------------------

# The daily job's Celery name and the beat entry `seed` creates for it (admins may change its time in the admin).
DAILY_REMINDER_JOB = "tasks.jobs.send_due_reminders"
DAILY_REMINDER_ENTRY = "Nhắc hạn hằng ngày (08:00)"
# A digest claimed longer ago than this was abandoned by a dead worker (the job's time limit is far shorter),
# so another run may take its rows.
CLAIM_LEASE = timedelta(minutes=15)
# Unsent reminders of the last days are sent late rather than lost (a mail server down over a weekend).
CATCH_UP_DAYS = 7
# The order of a digest's sections: the most pressing first.
KIND_ORDER = [ReminderKind.ESCALATION, ReminderKind.OVERDUE, ReminderKind.DUE, ReminderKind.BEFORE_DUE]


@transaction.atomic
def reminder_settings_ensure() -> ReminderSettings:
    """The ReminderSettings row, created from settings.REMINDER_* when missing; never overwrites admins' edits."""
    row, _ = ReminderSettings.objects.get_or_create(
        pk=1,
        defaults={
            "days_before": ",".join(str(n) for n in settings.REMINDER_DAYS_BEFORE),
            "overdue_every_days": settings.REMINDER_OVERDUE_EVERY_DAYS,
            "escalate_after": settings.REMINDER_ESCALATE_AFTER,
        },
    )
    return row


@transaction.atomic
def holidays_seed(*, holidays: list[dict]) -> dict:
    counts: dict = {}
    for item in holidays:
        upsert(
            Holiday, lookup={"date": parse_date(item["date"])}, values={"name": item["name"]}, counts=counts
        )
    return counts


@transaction.atomic
def reminder_schedule_ensure():
    """The beat entry of the daily reminder job: 08:00 Hà Nội time, every day.

    The job runs every day and itself skips weekends and holidays, so admins change the calendar in one place
    (the Holiday table). Created once: an entry that admins edited or disabled is left as they set it.
    """
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="8",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    entry, _ = PeriodicTask.objects.get_or_create(
        name=DAILY_REMINDER_ENTRY,
        defaults={
            "task": DAILY_REMINDER_JOB,
            "crontab": crontab,
            "kwargs": json.dumps({}),
            "description": "Gửi thư nhắc hạn: trước hạn, đến hạn, quá hạn; báo cáo lãnh đạo khi nhắc nhiều lần.",
        },
    )
    return entry


@dataclass
class ReminderRun:
    today: date
    created: int = 0
    escalated: list[int] = field(default_factory=list)
    # (recipient id, day) of every digest with something unsent, today's and late ones.
    digests: list[tuple[int, date]] = field(default_factory=list)
    sent: dict = field(default_factory=dict)


def reminders_send_due(*, today: date, queue: bool = True) -> ReminderRun:
    """The daily reminder run: record today's reminders, then send one digest per person.

    Recording is idempotent (one row per assignment, person and day), so a second run the same day, or two
    beats firing, adds nothing; either run then offers every unsent digest, and a digest sends only the rows
    it claims, so nothing goes twice. With `queue`, one Celery job per digest is queued after the commit
    (a failing mail server then delays one person, never the others); without, the digests are sent here,
    one by one, a failure recorded and the run going on.
    """
    run = ReminderRun(today=today)
    with transaction.atomic():
        # Two runs at once (two beats, or a beat and the command) take turns on the settings row: the rows are
        # unique either way, but the second run must see the first one's rows to count and flag only its own.
        ReminderSettings.objects.select_for_update().get(pk=reminder_settings_ensure().pk)
        due = assignments_to_remind(today=today)
        planned = reminders_due(today=today, due=due)
        rows = [
            Reminder(
                assignment=p.assignment,
                recipient=p.recipient,
                kind=p.kind,
                sent_on=today,
                days_to_due=p.days_to_due,
            )
            for p in planned
        ]
        before = Reminder.objects.filter(sent_on=today).count()
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        run.created = Reminder.objects.filter(sent_on=today).count() - before
        # Flagged from the calendar, not from the rows: a unit nobody can be mailed at is escalated too.
        escalations = [a.pk for a, kind in due if kind == ReminderKind.ESCALATION]
        run.escalated = sorted(
            Assignment.objects.filter(pk__in=escalations, escalated_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        Assignment.objects.filter(pk__in=run.escalated).update(escalated_at=timezone.now())
        run.digests = list(
            _unsent(today)
            .values_list("recipient_id", "sent_on")
            .distinct()
            .order_by("sent_on", "recipient_id")
        )
        if queue:
            from .jobs import send_reminder_digest  # here: jobs imports this module

            for recipient_id, day in run.digests:
                transaction.on_commit(partial(send_reminder_digest.delay, recipient_id, day.isoformat()))
    if not queue:
        for recipient_id, day in run.digests:
            try:
                run.sent[(recipient_id, day)] = reminder_digest_send(recipient_id=recipient_id, day=day)
            except Exception as error:  # recorded on the rows by reminder_digest_send; the next run retries
                run.sent[(recipient_id, day)] = error
    return run


def _unsent(today: date):
    stale = timezone.now() - CLAIM_LEASE
    return Reminder.objects.filter(
        sent_on__gt=today - timedelta(days=CATCH_UP_DAYS), sent_on__lte=today
    ).filter(
        Q(status__in=[ReminderStatus.PENDING, ReminderStatus.FAILED])
        | Q(status=ReminderStatus.SENDING, claimed_at__lt=stale)
    )


def reminder_digest_send(*, recipient_id: int, day: date, claim_token: str = "") -> int:
    """Send one person's digest of `day`; returns how many reminders it carried (0: nothing left to send).

    Exactly once, as far as mail allows: the rows are claimed in one transaction (locked, skipping rows another
    worker holds) and committed as SENDING before the mail goes, then marked SENT. A second job for the same
    digest finds nothing to claim. A claim whose job died (worker killed) is taken back by the redelivered job
    (same `claim_token`) or, after CLAIM_LEASE, by any run. A mail error marks the rows FAILED with the error
    and is raised again, for Celery to retry with backoff. The one window left is a worker killed between the
    mail server's acceptance and the commit of SENT: that digest may go twice; it is never lost.
    """
    now = timezone.now()
    claimable = Q(status__in=[ReminderStatus.PENDING, ReminderStatus.FAILED]) | Q(
        status=ReminderStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )
    if claim_token:
        claimable |= Q(status=ReminderStatus.SENDING, claim_token=claim_token)
    with transaction.atomic():
        # Two jobs for one digest claim in turn (the person's row is the lock): row by row, with skip_locked
        # alone, each could take some of the rows and the person would get the digest in two halves.
        recipient = User.objects.select_for_update().filter(pk=recipient_id).first()
        if recipient is None:
            return 0
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(claimable, recipient_id=recipient_id, sent_on=day)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        claimed = Reminder.objects.filter(pk__in=ids)
        if not recipient.is_active or not recipient.email:
            claimed.update(
                status=ReminderStatus.SKIPPED, last_error="Người nhận đã nghỉ hoặc không có e-mail."
            )
            return 0
        claimed.update(
            status=ReminderStatus.SENDING, claim_token=claim_token, claimed_at=now, attempts=F("attempts") + 1
        )

    reminders = list(
        Reminder.objects.filter(pk__in=ids).select_related(
            "assignment__task", "assignment__department", "assignment__district", "assignment__ward"
        )
    )
    try:
        _digest_message(recipient, day, reminders).send()
    except Exception as error:
        Reminder.objects.filter(pk__in=ids, status=ReminderStatus.SENDING).update(
            status=ReminderStatus.FAILED, claim_token="", last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        logger.warning("Reminder digest to user %s for %s failed: %s", recipient_id, day, error)
        raise
    Reminder.objects.filter(pk__in=ids).update(
        status=ReminderStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return len(ids)


def _unit_list_url(user: User) -> str:
    """The user's unit page, filtered to assignments not done; the overview for users without a unit."""
    if user.department_id:
        path = reverse("tasks:unit_detail", args=["so", user.department.code])
    elif user.district_id:
        path = reverse("tasks:unit_detail", args=["quan", user.district.code])
    elif user.ward_id:
        path = reverse("tasks:unit_detail", args=["phuong", user.ward.code])
    else:
        return settings.SITE_URL + reverse("tasks:home")
    return f"{settings.SITE_URL}{path}?status=open"


def _digest_message(recipient: User, day: date, reminders: list[Reminder]) -> EmailMultiAlternatives:
    reminders.sort(key=lambda r: (KIND_ORDER.index(r.kind), r.assignment.due_on, r.assignment.pk))
    sections = []
    for kind in KIND_ORDER:
        items = [r for r in reminders if r.kind == kind]
        if items:
            sections.append({"kind": kind, "label": kind.label, "reminders": items})
    for reminder in reminders:
        reminder.url = settings.SITE_URL + reminder.assignment.get_absolute_url()
        reminder.days_overdue = -reminder.days_to_due
    context = {
        "recipient": recipient,
        "day": day,
        "count": len(reminders),
        "sections": sections,
        "list_url": _unit_list_url(recipient),
        "escalated_url": settings.SITE_URL + reverse("tasks:home") + "#bao-cao-lanh-dao",
        "has_escalation": any(r.kind == ReminderKind.ESCALATION for r in reminders),
        "settings_url": settings.SITE_URL + reverse("accounts:notification_settings"),
    }
    # A worker has no request to take the language from: the portal writes to its users in Vietnamese.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("emails/reminder_digest_subject.txt", context).split())
        text = render_to_string("emails/reminder_digest_body.txt", context)
        html = render_to_string("emails/reminder_digest_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return message
