"""Reads of the reporting side: an assignment's history, and what waits for whom."""

from datetime import datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from cqdt_portal.lib.vn import fold
from org import units
from reminders.selectors import assignment_reminders
from tasks.models import Assignment

from .models import ExtensionRequest, ProgressUpdate, ReportReview


def assignment_timeline(assignment: Assignment) -> list[dict]:
    """Every report, review and deadline change of an assignment, newest first, in 2 queries.

    Each event is {"kind", "at", "by", …}: kinds "report", "review", "extension_request", "extension_decision"
    and "reminder" (one per day, with the people reminded; a third query), "chase" (each chase, with who sent it,
    its message and whom it reached; a fourth query), "received" and "handed_over".
    """
    updates = assignment.updates.select_related("author").prefetch_related(
        Prefetch("reviews", queryset=ReportReview.objects.select_related("reviewer")), "evidence"
    )
    requests = assignment.extension_requests.select_related(
        "requested_by", "decision", "decision__decided_by"
    )
    events = []
    for update in updates:
        events.append({"kind": "report", "at": update.reported_at, "by": update.author, "update": update})
        for review in update.reviews.all():
            events.append(
                {
                    "kind": "review",
                    "at": review.decided_at,
                    "by": review.reviewer,
                    "review": review,
                    "update": update,
                }
            )
    for request in requests:
        events.append(
            {
                "kind": "extension_request",
                "at": request.requested_at,
                "by": request.requested_by,
                "request": request,
            }
        )
        decision = getattr(request, "decision", None)
        if decision is not None:
            events.append(
                {
                    "kind": "extension_decision",
                    "at": decision.decided_at,
                    "by": decision.decided_by,
                    "request": request,
                    "decision": decision,
                }
            )
    # Same instant (seeded history): the report before its review, the request before its decision.
    reminded = assignment_reminders(assignment)
    chased = {day["chase"].pk: day for day in reminded if day["chase"] is not None}
    # Every chase of the assignment, with the people it reached (none where nobody of the unit has an e-mail).
    for chase in assignment.chases.select_related("sent_by"):
        day = chased.get(chase.pk) or {
            "sent_on": chase.sent_on,
            "chase": chase,
            "reminders": [],
            "days_to_due": (assignment.due_on - chase.sent_on).days,
        }
        events.append({"kind": "chase", "at": chase.created_at, "by": chase.sent_by, "day": day})
    for day in reminded:
        if day["chase"] is not None:
            continue
        # A day's reminders are sent by the 08:00 run; `at` is when the first of them left (or 08:00 if none has).
        sent = [r.sent_at for r in day["reminders"] if r.sent_at]
        at = min(sent) if sent else timezone.make_aware(datetime.combine(day["sent_on"], time(8)))
        events.append({"kind": "reminder", "at": at, "by": None, "day": day})
    # The hand-over of the work when the unit ended, seen from either side (both timelines show it).
    received = list(assignment.handed_over_from.select_related("ward", "district", "department"))
    if received:
        events.append(
            {"kind": "received", "at": _morning(assignment.given_on), "by": None, "assignments": received}
        )
    if assignment.was_handed_over:
        events.append(
            {
                "kind": "handed_over",
                "at": _morning(assignment.ended_on + timedelta(days=1)),
                "by": None,
                "assignment": assignment,
                "assignments": list(
                    assignment.handed_over_to.select_related("ward", "district", "department")
                ),
            }
        )
    order = {
        "report": 0, "review": 1, "extension_request": 0, "extension_decision": 1, "reminder": 2, "chase": 2,
        "received": -1, "handed_over": 3,
    }  # fmt: skip
    events.sort(key=lambda e: (e["at"], order[e["kind"]]), reverse=True)
    return events


def _morning(day):
    return timezone.make_aware(datetime.combine(day, time(0)))


def reports_for_queue(updates: QuerySet) -> QuerySet:
    return (
        updates.select_related(
            "author",
            "assignment__task",
            "assignment__department",
            "assignment__district",
            "assignment__ward",
            "assignment__ward__district",
        )
        .prefetch_related("evidence")
        .order_by("reported_at", "pk")
    )


def review_queue(user) -> dict:
    """What `user` has to decide: reports awaiting the city office (reviewers), reports awaiting their unit's
    head (unit heads, own unit only), and open extension requests (reviewers). The admin sees all."""
    queue = {"city": None, "head": None, "extensions": None}
    if user.is_superuser or user.has_perm("reporting.review_report"):
        queue["city"] = reports_for_queue(ProgressUpdate.objects.awaiting_city())
    if user.is_superuser or user.has_perm("reporting.approve_unit_report"):
        heads = ProgressUpdate.objects.awaiting_head()
        if not user.is_superuser:
            heads = heads.filter(
                units.members_of_keys([user.unit_key] if user.unit_key else [], "assignment__")
            )
        queue["head"] = reports_for_queue(heads)
    if user.is_superuser or user.has_perm("reporting.decide_extension"):
        queue["extensions"] = ExtensionRequest.objects.filter(decision__isnull=True).select_related(
            "requested_by",
            "assignment__task",
            "assignment__department",
            "assignment__district",
            "assignment__ward",
        )
    return queue


def overdue_to_chase(scope: Q, today, search: str = "") -> QuerySet:
    """The assignments overdue on `today` within `scope` (access.chase_scope), most overdue first, for the
    chase page, with what a page shows of them in one query (any page of them)."""
    queryset = (
        Assignment.objects.existing_on(today)
        .filter(scope)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=today), due_on__lt=today)
        .select_related("task", "department", "district", "ward", "ward__district")
        .order_by("due_on", "pk")
    )
    words = fold(search).split()
    for word in words:
        queryset = queryset.filter(
            Q(task__title__vn__contains=word)
            | Q(ward__name__vn__contains=word)
            | Q(district__name__vn__contains=word)
            | Q(department__name__vn__contains=word)
            | Q(ward__district__name__vn__contains=word)
        )
    return queryset
