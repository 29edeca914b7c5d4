"""Reads of the reporting side: an assignment's history, and what waits for whom."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cqdt_portal.lib.vn import fold
from notifications.selectors import unread
from org import units
from reminders.selectors import assignment_reminders
from tasks.models import Assignment
from tasks.status import exists_q

from . import access
from .models import (
    ExtensionDecision,
    ExtensionRequest,
    ProgressUpdate,
    ReportReview,
    ReviewOutcome,
    ReviewStage,
)


def assignment_timeline(assignment: Assignment) -> list[dict]:
    """Every report, review and deadline change of an assignment, newest first, in 2 queries.

    Each event is {"kind", "at", "by", …}: kinds "report", "review", "extension_request", "extension_decision"
    and "reminder" (one per day, with the people reminded; a third query).
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
    for day in assignment_reminders(assignment):
        if day["chase"] is not None:
            chase = day["chase"]
            events.append({"kind": "chase", "at": chase.created_at, "by": chase.sent_by, "day": day})
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
        # Not one's own report or request: someone else decides those (reporting/access.py).
        queue["city"] = reports_for_queue(ProgressUpdate.objects.awaiting_city().exclude(author=user))
    if user.is_superuser or user.has_perm("reporting.approve_unit_report"):
        heads = ProgressUpdate.objects.awaiting_head()
        if not user.is_superuser:
            heads = heads.filter(
                units.members_of_keys([user.unit_key] if user.unit_key else [], "assignment__")
            )
        queue["head"] = reports_for_queue(heads.exclude(author=user))
    if user.is_superuser or user.has_perm("reporting.decide_extension"):
        queue["extensions"] = ExtensionRequest.objects.filter(decision__isnull=True).exclude(
            requested_by=user
        )
        queue["extensions"] = queue["extensions"].select_related(
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


# Việc của tôi: how far ahead "due soon" looks, and how many rows each waiting list shows before "see all".
SOON_DAYS = 7
LIST_LIMIT = 10
LATER_LIMIT = 20
DECISIONS_SINCE_DAYS = 30


def _open_of_unit(unit_key, today: date) -> QuerySet:
    not_done = Q(completed_on__isnull=True) | Q(completed_on__gt=today)
    return Assignment.objects.existing_on(today).filter(units.members_of_keys([unit_key]), not_done)


def returned_unanswered(unit_key, today: date) -> QuerySet:
    """The unit's reports returned and not yet followed by a new report, on its running assignments."""
    later = ProgressUpdate.objects.filter(assignment=OuterRef("assignment")).filter(
        Q(reported_at__gt=OuterRef("reported_at"))
        | Q(reported_at=OuterRef("reported_at"), pk__gt=OuterRef("pk"))
    )
    returned = ReportReview.objects.filter(update=OuterRef("pk"), outcome=ReviewOutcome.RETURNED)
    return ProgressUpdate.objects.filter(
        units.members_of_keys([unit_key], "assignment__"),
        exists_q(today, "assignment__"),
        Exists(returned),
    ).exclude(Exists(later))


def _waiting_querysets(user, today: date) -> dict[str, QuerySet]:
    """What waits for `user`, as querysets to count or to list: its unit's overdue work and returned reports,
    and the decisions its roles make."""
    found = {}
    if user.unit_key is not None:
        found["overdue"] = _open_of_unit(user.unit_key, today).filter(due_on__lt=today)
        found["returned"] = returned_unanswered(user.unit_key, today)
    roles = access.reviews_as(user)
    if roles["head"]:
        found["head"] = ProgressUpdate.objects.awaiting_head().filter(
            units.members_of_keys([user.unit_key], "assignment__")
        )
    if roles["city"]:
        found["city"] = ProgressUpdate.objects.awaiting_city()
    if roles["extensions"]:
        found["extensions"] = ExtensionRequest.objects.filter(decision__isnull=True)
    return found


def _count(queryset: QuerySet):
    """COUNT(*) of `queryset` as a scalar subquery (Func, not an aggregate: no GROUP BY)."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def nav_counts(user, today: date | None = None) -> dict:
    """The navigation's figures on every page, in one query: unread notifications and, for whoever has a
    Việc của tôi, what waits there (overdue work, returned reports, decisions to make)."""
    # Notifications go only to people of a unit and to those who decide (see notices.py), exactly those who
    # have a Việc của tôi: a city official's or the admin's pages ask nothing more.
    if not access.has_worklist(user):
        return {"worklist": False, "unread": 0, "waiting": 0, "parts": {}}
    today = today or timezone.localdate()
    waiting = _waiting_querysets(user, today)
    figures = {"unread": _count(unread(user)), **{name: _count(qs) for name, qs in waiting.items()}}
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(**{f"n_{name}": Coalesce(value, Value(0)) for name, value in figures.items()})
        .values(*(f"n_{name}" for name in figures))
        .first()
        or {}
    )
    counts = {name: row.get(f"n_{name}", 0) for name in figures}
    return {
        "worklist": True,
        "unread": counts.pop("unread"),
        "waiting": sum(counts.values()),
        "parts": counts,
    }


def worklist(user, today: date, waiting: dict[str, int]) -> dict:
    """Việc của tôi: the unit's running work by urgency, its returned reports, the extension decisions it
    received lately, the work handed over to it, and the decisions waiting for `user`. A fixed number of
    queries whatever the amount of work. `waiting` holds the counts of nav_counts (the decisions' totals)."""
    page = {"overdue": [], "soon": [], "later": [], "later_count": 0, "returned": [], "decisions": []}
    page["received"] = []
    if user.unit_key is not None:
        pending = ProgressUpdate.objects.filter(assignment=OuterRef("pk")).exclude(
            Q(reviews__outcome=ReviewOutcome.RETURNED) | Q(reviews__stage=ReviewStage.CITY)
        )
        sources = Assignment.objects.select_related("department", "district", "ward")
        open_ = (
            _open_of_unit(user.unit_key, today)
            .select_related("task__document")
            .annotate(reported=Exists(pending))
            .prefetch_related(Prefetch("handed_over_from", queryset=sources, to_attr="sources"))
            .order_by("due_on", "pk")
        )
        soon = today + timedelta(days=SOON_DAYS)
        for assignment in open_:
            if assignment.due_on < today:
                assignment.days_overdue = (today - assignment.due_on).days
                page["overdue"].append(assignment)
            elif assignment.due_on <= soon:
                assignment.days_left = (assignment.due_on - today).days
                page["soon"].append(assignment)
            else:
                page["later_count"] += 1
                if len(page["later"]) < LATER_LIMIT:
                    page["later"].append(assignment)
            if assignment.sources:
                page["received"].append(assignment)
        returned = ReportReview.objects.filter(outcome=ReviewOutcome.RETURNED, update=OuterRef("pk"))
        page["returned"] = list(
            returned_unanswered(user.unit_key, today)
            .select_related("assignment__task", "author")
            .annotate(
                reason=Subquery(returned.values("reason")[:1]),
                returned_at=Subquery(returned.values("decided_at")[:1]),
            )
            .order_by("-reported_at", "-pk")[:LIST_LIMIT]
        )
        page["decisions"] = list(
            ExtensionDecision.objects.filter(
                units.members_of_keys([user.unit_key], "request__assignment__"),
                decided_at__gte=timezone.now() - timedelta(days=DECISIONS_SINCE_DAYS),
            )
            .select_related("request__assignment__task", "decided_by")
            .order_by("-decided_at", "-pk")[:LIST_LIMIT]
        )
    queue = review_queue(user) if any(access.reviews_as(user).values()) else {}
    roles = access.reviews_as(user)
    page["queue"] = [
        (name, waiting.get(name, 0), list(queryset[:LIST_LIMIT]))
        for name, queryset in queue.items()
        if queryset is not None and roles[name]
    ]
    return page
