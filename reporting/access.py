"""Who may read and write what: the one place that decides, for every view of the reporting side.

Reading: every signed-in user may read every assignment, report and evidence file. The city publishes the
pilot's status internally, and a district follows its wards side by side; nothing here is secret between
units. (To restrict reading later, change `can_read` only: every view and download goes through it.)

Writing is by role (a Django group with its permissions, see services.roles_ensure) AND unit:
- unit staff and unit heads report, and ask for extensions, on their own unit's assignments only; a district's
  staff do not report for its wards (a ward's own staff do);
- a unit head approves their own unit's reports where the unit's policy asks for it;
- the city office's reviewers confirm or return reports and decide extensions for every unit;
- city officials read only; the admin (superuser) holds every permission;
- chasing a unit about overdue work (đôn đốc): see chase_scope below.

Separation of duties, whatever roles one holds (the admin included): no one decides their own report or their own
extension request. The pages leave such items to someone else and say so; the services refuse them again
(`own_work_guard`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from org import units
from tasks.models import Assignment

from .models import (
    Evidence,
    ExtensionRequest,
    ProgressUpdate,
    ReportState,
    ReviewStage,
)


def can_read(user, assignment: Assignment) -> bool:
    return user.is_authenticated and user.is_active


def is_own_unit(user, assignment: Assignment) -> bool:
    return units.same_unit(user, assignment)


def can_report(user, assignment: Assignment) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    # An assignment that ended with its unit takes no more reports: its successors' assignments carry on.
    if assignment.ended_on is not None and assignment.ended_on < timezone.localdate():
        return False
    if user.is_superuser:
        return True
    return user.has_perm("reporting.report_progress") and is_own_unit(user, assignment)


def is_own_work(user, author_id: int | None) -> bool:
    """Did `user` write the report or request (by its author's id)? Then someone else decides it."""
    return author_id is not None and author_id == user.pk


def own_work_guard(user, author_id: int | None) -> None:
    """The services' own check of separation of duties: refuses a decision on one's own report or request."""
    if is_own_work(user, author_id):
        raise PermissionDenied(_("Không ai tự xem xét báo cáo hay tự quyết định đề nghị của chính mình."))


def can_review_stage(user, update: ProgressUpdate, stage: ReviewStage) -> bool:
    """May `user` decide `update` at `stage` (whatever the report's state)?"""
    if not (user.is_authenticated and user.is_active) or is_own_work(user, update.author_id):
        return False
    if user.is_superuser:
        return True
    if stage == ReviewStage.UNIT_HEAD:
        return user.has_perm("reporting.approve_unit_report") and is_own_unit(user, update.assignment)
    return user.has_perm("reporting.review_report")


def review_stage_for(user, update: ProgressUpdate) -> ReviewStage | None:
    """The stage at which `user` may decide `update` now, or None."""
    state = update.state
    if state == ReportState.AWAITING_HEAD and can_review_stage(user, update, ReviewStage.UNIT_HEAD):
        return ReviewStage.UNIT_HEAD
    if state == ReportState.AWAITING_CITY and can_review_stage(user, update, ReviewStage.CITY):
        return ReviewStage.CITY
    return None


def can_review_any(user) -> bool:
    """Shows the review queue: city reviewers, unit heads and the admin."""
    return user.is_authenticated and (
        user.is_superuser
        or user.has_perm("reporting.review_report")
        or user.has_perm("reporting.approve_unit_report")
    )


def can_decide_extension(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("reporting.decide_extension")


def can_request_extension(user, assignment: Assignment) -> bool:
    """The unit's own staff; and the city office's reviewers, who edit deadlines through the same record."""
    if assignment.ended_on is not None and assignment.ended_on < timezone.localdate():
        return False
    return can_report(user, assignment) or can_decide_extension(user)


def assignment_for_user(user, pk, *, write: bool = False, action: str = "report") -> Assignment:
    """The assignment, if `user` may read it, or with write=True may act on it: action "report" (a progress
    report) or "extend" (an extension request). Raises Http404 or PermissionDenied."""
    assignment = (
        Assignment.objects.select_related(
            "task",
            "task__document",
            "task__lead_department",
            "department",
            "district",
            "ward",
            "ward__district",
        )
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    if not write:
        allowed = can_read(user, assignment)
    elif action == "extend":
        allowed = can_request_extension(user, assignment)
    else:
        allowed = can_report(user, assignment)
    if not allowed:
        raise PermissionDenied
    return assignment


def report_for_user(user, pk, *, review: bool = False) -> tuple[ProgressUpdate, ReviewStage | None]:
    """The report and the stage at which `user` may decide it now.

    With review=True, refuses (403) a user who may decide it at no stage: the wrong unit, the wrong role,
    or a report that has already been decided.
    """
    update = _reports([pk]).first()
    if update is None:
        raise Http404
    if not can_read(user, update.assignment):
        raise PermissionDenied
    stage = review_stage_for(user, update)
    if review and stage is None:
        own_work_guard(user, update.author_id)  # says why, on the 403 page
        raise PermissionDenied
    return update, stage


def _reports(pks):
    return (
        ProgressUpdate.objects.select_related(
            "assignment",
            "assignment__task",
            "assignment__ward",
            "assignment__district",
            "assignment__department",
            "author",
        )
        .prefetch_related("reviews", "evidence")
        .filter(pk__in=pks)
    )


def reports_for_user(user, pks: list[int]) -> list[tuple[ProgressUpdate, ReviewStage]]:
    """Several reports, each with the stage at which `user` may decide it now, in a fixed number of queries.
    Refuses (404) if one does not exist and (403) if `user` may decide one of them at no stage."""
    updates = _reports(pks).in_bulk()
    if set(updates) != set(pks):
        raise Http404
    decisions = []
    for pk in pks:
        update = updates[pk]
        stage = review_stage_for(user, update) if can_read(user, update.assignment) else None
        if stage is None:
            own_work_guard(user, update.author_id)
            raise PermissionDenied
        decisions.append((update, stage))
    return decisions


def evidence_for_user(user, pk) -> Evidence:
    evidence = Evidence.objects.select_related("update__assignment").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    if not can_read(user, evidence.update.assignment):
        raise PermissionDenied
    return evidence


def extension_for_user(user, pk, *, decide: bool = False) -> ExtensionRequest:
    request = (
        ExtensionRequest.objects.select_related("assignment", "assignment__task", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404
    if decide:
        allowed = can_decide_extension(user)
        if allowed:
            own_work_guard(user, request.requested_by_id)
    else:
        allowed = can_read(user, request.assignment)
    if not allowed:
        raise PermissionDenied
    return request


def assignment_actions(user, assignment: Assignment) -> dict:
    """What the assignment page may offer `user` (the actions themselves are checked again on submit)."""
    return {
        "can_report": can_report(user, assignment),
        "can_extend": can_request_extension(user, assignment) and assignment.completed_on is None,
        "can_review_city": user.is_superuser or user.has_perm("reporting.review_report"),
        "can_approve_head": user.is_superuser
        or (user.has_perm("reporting.approve_unit_report") and is_own_unit(user, assignment)),
        "can_decide": can_decide_extension(user),
    }


# Chasing (đôn đốc): reminding a unit, now, of its overdue work. Those who follow a unit's work may: the city
# office (its reviewers) and the admin every unit; a lead department's staff the assignments of the tasks it
# leads; a district's staff its wards', on the days the district exists (none since 01/07/2025).


def _follows_units(user) -> bool:
    """A member of a unit who works on its reports (staff or head), not a reader."""
    return user.has_perm("reporting.report_progress") or user.has_perm("reporting.approve_unit_report")


def chase_scope(user, today) -> Q | None:
    """The assignments `user` may chase on `today`, as a condition on Assignment; None if none."""
    if not (user.is_authenticated and user.is_active):
        return None
    if user.is_superuser or user.has_perm("reporting.review_report"):
        return Q()
    if not _follows_units(user):
        return None
    if user.department_id:
        return Q(task__lead_department_id=user.department_id)
    if user.district_id and user.district.exists_on(today):
        return Q(ward__district_id=user.district_id)
    return None


def can_chase(user, assignment: Assignment, today) -> bool:
    """May `user` chase this assignment's unit on `today` (the assignment overdue is the service's check)?"""
    if chase_scope(user, today) is None:
        return False
    if user.is_superuser or user.has_perm("reporting.review_report"):
        return True
    if user.department_id:
        return assignment.task.lead_department_id == user.department_id
    return assignment.ward_id is not None and assignment.ward.district_id == user.district_id


def assignments_to_chase(user, pks, today) -> list[Assignment]:
    """The assignments chosen for a chase, each one `user` may chase; raises Http404 if one does not exist
    and PermissionDenied if `user` may not chase one of them."""
    found = (
        Assignment.objects.select_related("task", "department", "district", "ward", "ward__district")
        .filter(pk__in=pks)
        .in_bulk()
    )
    if set(found) != set(pks):
        raise Http404
    chosen = [found[pk] for pk in pks]
    if not all(can_chase(user, assignment, today) for assignment in chosen):
        raise PermissionDenied
    return chosen


def reviews_as(user) -> dict[str, bool]:
    """Which decisions wait for `user` by role. The admin holds every permission but is not a reviewer: the
    roles say who decides, and the admin's lists are the admin's."""
    if not (user.is_authenticated and user.is_active) or user.is_superuser:
        return {"head": False, "city": False, "extensions": False}
    return {
        "head": user.unit_key is not None and user.has_perm("reporting.approve_unit_report"),
        "city": user.has_perm("reporting.review_report"),
        "extensions": user.has_perm("reporting.decide_extension"),
    }


def has_worklist(user) -> bool:
    """Việc của tôi is the home of whoever belongs to a unit or decides; city officials keep the dashboard."""
    return user.is_authenticated and (user.unit_key is not None or any(reviews_as(user).values()))
