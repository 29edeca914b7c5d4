"""Writes of the reporting side: reports, their review, extensions, and the roles.

The rules of a report, a review and an extension are checked here and only here: each refusal is a
ValidationError keyed by the form field it belongs to, with a code, so that a form only shapes input and
the page shows the service's message next to the field.
"""

from datetime import date, datetime

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from org import units
from tasks.models import Assignment
from tasks.services import status_summary_refresh

from . import access, notices
from .evidence import EvidenceFile
from .models import (
    Evidence,
    ExtensionDecision,
    ExtensionRequest,
    ProgressUpdate,
    ReportReview,
    ReportState,
    ReviewOutcome,
    ReviewStage,
    Role,
    UnitPolicy,
)


class StaleVersion(Exception):
    """The assignment changed since the form was read; the caller shows the newer state."""


class NotAwaiting(Exception):
    """The report or request was decided already (perhaps by someone else a moment ago)."""


def _refuse_if(errors: dict[str, ValidationError]) -> None:
    if errors:
        raise ValidationError(errors)


def _not_after(day: date | None, report_day: date) -> bool:
    return day is not None and day > report_day


def _after_report_day_message(report_day: date) -> str:
    # A report is made today from the page; only seeded history is backdated.
    if report_day == timezone.localdate():
        return _("Ngày không được sau hôm nay.")
    return _("Ngày không được sau ngày báo cáo.")


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
    note, outgoing_number = note or "", (outgoing_number or "").strip()
    errors = {}
    if not 0 <= percent <= 100:
        errors["percent"] = ValidationError(_("Tiến độ phải từ 0 đến 100%."), code="range")
    if percent == 100:
        completed_on = completed_on or report_day
        if not note.strip() and not evidence:
            errors["note"] = ValidationError(
                _("Báo cáo hoàn thành cần có nội dung hoặc tài liệu kèm theo."), code="done_needs_content"
            )
    elif completed_on is not None:
        errors["completed_on"] = ValidationError(
            _("Chỉ ghi ngày hoàn thành khi tiến độ là 100%."), code="completion_needs_100"
        )
    if _not_after(completed_on, report_day):
        errors["completed_on"] = ValidationError(_after_report_day_message(report_day), code="future")
    elif completed_on is not None and completed_on < assignment.given_on:
        # Done before it was given would count as done on time for ever once confirmed.
        errors["completed_on"] = ValidationError(
            _("Ngày hoàn thành không được trước ngày giao nhiệm vụ (%(given)s)."),
            code="before_given",
            params={"given": assignment.given_on.strftime("%d/%m/%Y")},
        )
    if _not_after(outgoing_date, report_day):
        errors["outgoing_date"] = ValidationError(_after_report_day_message(report_day), code="future")
    if outgoing_date and not outgoing_number:
        errors["outgoing_number"] = ValidationError(
            _("Có ngày văn bản thì cần ghi số văn bản."), code="date_needs_number"
        )
    _refuse_if(errors)

    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
            if expected_version is not None and locked.version != expected_version:
                raise StaleVersion()
            # The head's own report needs no approval by the head.
            needs_head = UnitPolicy.head_approval_for(locked) and not (
                by.has_perm("reporting.approve_unit_report") and units.same_unit(by, locked)
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
            notices.report_awaiting(
                update, by=by, stage=ReviewStage.UNIT_HEAD if needs_head else ReviewStage.CITY
            )
    except BaseException:
        for row in stored:
            row.file.storage.delete(row.file.name)
        raise
    # The caller's instance follows, without a query: once the report is committed nothing may fail and make the
    # caller believe it was not (a database restart at that moment, say).
    for name in ("percent", "completed_on", "due_on", "last_reported_at", "version"):
        setattr(assignment, name, getattr(locked, name))
    return update


AWAITED = {ReviewStage.UNIT_HEAD: ReportState.AWAITING_HEAD, ReviewStage.CITY: ReportState.AWAITING_CITY}


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
    decide is for reporting/access.py.
    """
    return reports_review_many(
        decisions=[(update, stage)], by=by, outcome=outcome, reason=reason, decided_at=decided_at
    )[0]


@transaction.atomic
def reports_review_many(
    *,
    decisions: list[tuple[ProgressUpdate, ReviewStage]],
    by,
    outcome: ReviewOutcome = ReviewOutcome.APPROVED,
    reason: str = "",
    decided_at: datetime | None = None,
) -> list[ReportReview]:
    """Decide several reports at once: all of them or, if any is no longer awaiting its stage, none.

    A fixed number of queries however many reports: the assignments are locked together, the reports' states
    read in one query, the reviews written in one, and the assignments that a city confirmation moves are
    updated in one statement to their latest confirmed report.
    """
    reason = (reason or "").strip()
    if outcome == ReviewOutcome.RETURNED and not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Cần ghi lý do trả lại để đơn vị biết và báo cáo lại."), code="return_needs_reason"
                )
            }
        )
    decided_at = decided_at or timezone.now()
    # Lock the assignments, always in the same order: two reviewers deciding at once, or a decision racing a
    # new report, are serialised, and two bulk confirmations never wait on each other in a circle.
    assignment_ids = sorted({u.assignment_id for u, _stage in decisions})
    list(Assignment.objects.select_for_update().filter(pk__in=assignment_ids).order_by("pk").values("pk"))
    current = ProgressUpdate.objects.with_review_state().in_bulk([u.pk for u, _stage in decisions])
    for update, stage in decisions:
        access.own_work_guard(by, update.author_id)
        if update.pk not in current or current[update.pk].state != AWAITED[stage]:
            raise NotAwaiting()
    reviews = ReportReview.objects.bulk_create(
        ReportReview(
            update=current[update.pk],
            stage=stage,
            outcome=outcome,
            reason=reason,
            reviewer=by,
            decided_at=decided_at,
        )
        for update, stage in decisions
    )
    confirmed = {
        u.assignment_id
        for u, stage in decisions
        if stage == ReviewStage.CITY and outcome == ReviewOutcome.APPROVED
    }
    if confirmed:
        _assignments_follow_confirmed(confirmed)
    notices.reports_decided(reviews, by=by)
    return reviews


def _assignments_follow_confirmed(assignment_ids: set[int]) -> None:
    """Each assignment's percent and completion date become those of its latest confirmed report (one UPDATE)."""
    latest = ProgressUpdate.objects.filter(
        assignment=OuterRef("pk"), reviews__stage=ReviewStage.CITY, reviews__outcome=ReviewOutcome.APPROVED
    ).order_by("-reported_at", "-pk")
    Assignment.objects.filter(pk__in=assignment_ids).update(
        percent=Coalesce(Subquery(latest.values("percent")[:1]), Value(0)),
        completed_on=Subquery(latest.values("completed_on")[:1]),
        version=F("version") + 1,
    )
    status_summary_refresh(assignments=Assignment.objects.filter(pk__in=assignment_ids))


@transaction.atomic
def extension_request(
    *,
    assignment: Assignment,
    by,
    requested_due_on: date,
    reason: str,
    document_number: str = "",
    document_date: date | None = None,
    requested_at: datetime | None = None,
) -> ExtensionRequest:
    """A unit asks to move its deadline, with its letter's number and date if it wrote one. One open request
    at a time; a done assignment needs none."""
    requested_at = requested_at or timezone.now()
    reason = (reason or "").strip()
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    errors = _document_errors(document_number, document_date, timezone.localdate(requested_at))
    if not reason:
        errors["reason"] = ValidationError(_("Cần nêu lý do đề nghị gia hạn."), code="required")
    if requested_due_on <= locked.due_on:
        errors["requested_due_on"] = ValidationError(
            _("Thời hạn đề nghị phải sau thời hạn hiện tại (%(due)s)."),
            code="not_later",
            params={"due": locked.due_on.strftime("%d/%m/%Y")},
        )
    if locked.completed_on is not None:
        errors["__all__"] = ValidationError(_("Nhiệm vụ đã hoàn thành, không cần gia hạn."), code="done")
    elif locked.extension_requests.filter(decision__isnull=True).exists():
        errors["__all__"] = ValidationError(
            _("Đã có một đề nghị gia hạn đang chờ quyết định."), code="pending"
        )
    _refuse_if(errors)
    request = ExtensionRequest.objects.create(
        assignment=locked,
        requested_by=by,
        requested_at=requested_at,
        current_due_on=locked.due_on,
        requested_due_on=requested_due_on,
        reason=reason,
        document_number=(document_number or "").strip(),
        document_date=document_date,
    )
    notices.extension_awaiting(request, by=by)
    return request


def _document_errors(number: str, day: date | None, today: date) -> dict[str, ValidationError]:
    errors = {}
    if day is not None and not (number or "").strip():
        errors["document_number"] = ValidationError(
            _("Có ngày văn bản thì cần ghi số văn bản."), code="date_needs_number"
        )
    if _not_after(day, today):
        errors["document_date"] = ValidationError(_after_report_day_message(today), code="future")
    return errors


@transaction.atomic
def extension_decide(
    *,
    request: ExtensionRequest,
    by,
    approved: bool,
    reason: str = "",
    granted_due_on: date | None = None,
    document_number: str = "",
    document_date: date | None = None,
    decided_at: datetime | None = None,
) -> ExtensionDecision:
    """Approve or refuse an extension, with the office's document if there is one. The original deadline
    (original_due_on) never changes.

    An approval grants the date asked or, with a reason, another one later than the deadline of the request.
    It moves the deadline in force (due_on) only when given on or before that deadline: on-time counts keep a
    deadline that has already passed. A late approval is recorded, with effective=False.
    """
    decided_at = decided_at or timezone.now()
    reason = (reason or "").strip()
    errors = _document_errors(document_number, document_date, timezone.localdate(decided_at))
    if not approved:
        granted_due_on = None
        if not reason:
            errors["reason"] = ValidationError(
                _("Cần nêu lý do từ chối gia hạn."), code="refusal_needs_reason"
            )
    else:
        granted_due_on = granted_due_on or request.requested_due_on
        if granted_due_on <= request.current_due_on:
            errors["granted_due_on"] = ValidationError(
                _("Thời hạn chấp thuận phải sau thời hạn khi đề nghị (%(due)s)."),
                code="not_later",
                params={"due": request.current_due_on.strftime("%d/%m/%Y")},
            )
        elif granted_due_on != request.requested_due_on and not reason:
            errors["reason"] = ValidationError(
                _("Cần nêu lý do khi chấp thuận thời hạn khác với thời hạn đơn vị đề nghị (%(asked)s)."),
                code="other_date_needs_reason",
                params={"asked": request.requested_due_on.strftime("%d/%m/%Y")},
            )
    _refuse_if(errors)
    access.own_work_guard(by, request.requested_by_id)
    locked = Assignment.objects.select_for_update().get(pk=request.assignment_id)
    if ExtensionDecision.objects.filter(request=request).exists():
        raise NotAwaiting()
    effective = approved and timezone.localdate(decided_at) <= locked.due_on
    decision = ExtensionDecision.objects.create(
        request=request,
        approved=approved,
        granted_due_on=granted_due_on,
        effective=effective,
        reason=reason,
        document_number=(document_number or "").strip(),
        document_date=document_date,
        decided_by=by,
        decided_at=decided_at,
    )
    if effective:
        locked.due_on = granted_due_on
        locked.version += 1
        locked.save(update_fields=["due_on", "version"])
        status_summary_refresh(assignments=Assignment.objects.filter(pk=locked.pk))
    notices.extension_decided(decision, by=by)
    return decision


# What each role may do, as "app_label.codename". Access also depends on the user's unit: see access.py.
READ = ["tasks.view_task", "tasks.view_assignment", "reporting.view_progressupdate"]
ROLE_PERMISSIONS = {
    Role.CITY_OFFICIAL: READ,
    Role.UNIT_STAFF: [*READ, "reporting.report_progress"],
    Role.UNIT_HEAD: [*READ, "reporting.report_progress", "reporting.approve_unit_report"],
    Role.REVIEWER: [
        *READ,
        "reporting.review_report",
        "reporting.decide_extension",
        "tasks.change_task",
        "tasks.change_assignment",
    ],
}


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


@transaction.atomic
def roles_ensure() -> list[Group]:
    """One Django group per role, named by the role's code, holding exactly its permissions. Idempotent."""
    groups = []
    for role in Role:
        group = Group.objects.get_or_create(name=role.value)[0]
        wanted = set(_permissions(ROLE_PERMISSIONS[role]))
        if set(group.permissions.all()) != wanted:
            group.permissions.set(wanted)
        groups.append(group)
    return groups
