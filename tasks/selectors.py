"""Reads for pages: each returns a queryset or plain data built in a fixed number of SQL queries."""

from datetime import date

from django.db.models import Count, F, Prefetch, Q, QuerySet

from .models import (
    Assignment,
    ExtensionRequest,
    ProgressUpdate,
    ReportReview,
    Status,
    Task,
    status_expression,
)


def status_q(status: Status, as_of: date, prefix: str = "") -> Q:
    """The condition for one status as a Q, for counting over a relation (prefix "assignments__")."""
    done = Q(**{f"{prefix}completed_on__isnull": False, f"{prefix}completed_on__lte": as_of})
    on_time = Q(**{f"{prefix}completed_on__lte": F(prefix + "due_on")})
    if status == Status.DONE_ON_TIME:
        return done & on_time
    if status == Status.DONE_LATE:
        return done & ~on_time
    not_done = Q(**{f"{prefix}completed_on__isnull": True}) | Q(**{f"{prefix}completed_on__gt": as_of})
    if status == Status.OPEN_ON_TIME:
        return not_done & Q(**{f"{prefix}due_on__gte": as_of})
    return not_done & Q(**{f"{prefix}due_on__lt": as_of})


def status_counts(assignments: QuerySet, as_of: date) -> dict:
    """{"rows": [(Status, count)…] in the official order, "total": n} in one query."""
    counted = dict(
        assignments.order_by()
        .annotate(status=status_expression(as_of))
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    rows = [(status, counted.get(status.value, 0)) for status in Status]
    return {"rows": rows, "total": sum(n for _, n in rows)}


def tasks_with_counts(tasks: QuerySet, as_of: date) -> QuerySet:
    """Tasks with their assignment count per status (attributes n_done_on_time, …, n_total)."""
    annotations = {
        f"n_{status.value}": Count("assignments", filter=status_q(status, as_of, "assignments__"))
        for status in Status
    }
    return tasks.select_related("document", "lead_department").annotate(
        n_total=Count("assignments"), **annotations
    )


def assignments_for_list(assignments: QuerySet, as_of: date) -> QuerySet:
    return assignments.with_status(as_of).select_related(
        "task", "task__document", "department", "district", "ward", "ward__district"
    )


def task_list(as_of: date) -> QuerySet:
    return tasks_with_counts(Task.objects.all(), as_of)


def assignment_history(assignment: Assignment) -> QuerySet:
    return assignment.updates.select_related("author")


# --- Write side (issue 4): history, review queue, a district's wards side by side ---------------------------


def assignment_timeline(assignment: Assignment) -> list[dict]:
    """Every report, review and deadline change of an assignment, newest first, in 2 queries.

    Each event is {"kind", "at", "by", …}: kinds "report", "review", "extension_request", "extension_decision".
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
    order = {"report": 0, "review": 1, "extension_request": 0, "extension_decision": 1}
    events.sort(key=lambda e: (e["at"], order[e["kind"]]), reverse=True)
    return events


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
    if user.is_superuser or user.has_perm("tasks.review_report"):
        queue["city"] = reports_for_queue(ProgressUpdate.objects.awaiting_city())
    if user.is_superuser or user.has_perm("tasks.approve_unit_report"):
        heads = ProgressUpdate.objects.awaiting_head()
        if not user.is_superuser:
            unit = Q(assignment__department_id=user.department_id) if user.department_id else Q(pk__in=[])
            if user.district_id:
                unit = Q(assignment__district_id=user.district_id)
            if user.ward_id:
                unit = Q(assignment__ward_id=user.ward_id)
            heads = heads.filter(unit)
        queue["head"] = reports_for_queue(heads)
    if user.is_superuser or user.has_perm("tasks.decide_extension"):
        queue["extensions"] = ExtensionRequest.objects.filter(decision__isnull=True).select_related(
            "requested_by",
            "assignment__task",
            "assignment__department",
            "assignment__district",
            "assignment__ward",
        )
    return queue


def district_ward_board(district, as_of: date) -> dict:
    """A district's wards × the tasks given to its wards: each cell the assignment with its status. 3 queries."""
    wards = list(district.wards.active(on=as_of).order_by("code"))
    assignments = list(
        Assignment.objects.filter(ward__district=district)
        .with_status(as_of)
        .select_related("task")
        .order_by("task__due_on", "task_id")
    )
    tasks = list({a.task_id: a.task for a in assignments}.values())
    cells = {(a.ward_id, a.task_id): a for a in assignments}
    rows = [(ward, [cells.get((ward.pk, task.pk)) for task in tasks]) for ward in wards]
    return {"wards": wards, "tasks": tasks, "rows": rows}
