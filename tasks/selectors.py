"""Reads for pages: each returns a queryset or plain data built in a fixed number of SQL queries."""

from datetime import date

from django.db.models import Count, F, Q, QuerySet

from .models import Assignment, Status, Task, status_expression


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
    # Aggregation drops Meta.ordering, so the list order is spelled out.
    return tasks_with_counts(Task.objects.all(), as_of).order_by(
        "document__issued_on", "document__number", "due_on", "pk"
    )


def assignment_history(assignment: Assignment) -> QuerySet:
    return assignment.updates.select_related("author")
