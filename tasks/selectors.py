"""Reads for pages: each returns a queryset or plain data built in a fixed number of SQL queries."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.models import User

from .models import (
    Assignment,
    Holiday,
    ReminderKind,
    ReminderSettings,
    Status,
    Task,
    status_expression,
)
from .reminder_rules import Rules, WorkingCalendar, due_dates_reminded_on, reminder_kind


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


def escalated_assignments(as_of: date | None = None) -> QuerySet:
    """Assignments still overdue after repeated reminders: the city raises them at its leadership meeting."""
    as_of = as_of or timezone.localdate()
    return assignments_for_list(Assignment.objects.filter(escalated_at__isnull=False), as_of).filter(
        status=Status.OVERDUE
    )


def reminder_rules() -> Rules:
    """The admins' ReminderSettings row, or the defaults from settings before `seed` has created it."""
    row = ReminderSettings.objects.filter(pk=1).first()
    if row is None:
        return Rules(
            offsets=tuple(sorted(set(settings.REMINDER_DAYS_BEFORE), reverse=True)),
            overdue_every_days=settings.REMINDER_OVERDUE_EVERY_DAYS,
            escalate_after=settings.REMINDER_ESCALATE_AFTER,
        )
    return Rules(
        offsets=tuple(row.offsets),
        overdue_every_days=row.overdue_every_days,
        escalate_after=row.escalate_after,
    )


def working_calendar() -> WorkingCalendar:
    return WorkingCalendar(holidays=frozenset(Holiday.objects.values_list("date", flat=True)))


@dataclass(frozen=True)
class PlannedReminder:
    assignment: Assignment
    recipient: User
    kind: ReminderKind
    days_to_due: int


def _unit_key(obj) -> tuple[str, int]:
    if obj.department_id:
        return ("department", obj.department_id)
    return ("district", obj.district_id) if obj.district_id else ("ward", obj.ward_id)


def assignments_to_remind(*, today: date) -> list[tuple[Assignment, ReminderKind]]:
    """The assignments not done that get a reminder on `today`, with its kind (tasks.reminder_rules)."""
    rules, calendar = reminder_rules(), working_calendar()
    if not calendar.is_working_day(today):
        return []
    not_done = Q(completed_on__isnull=True) | Q(completed_on__gt=today)
    candidates = (
        Assignment.objects.filter(not_done)
        .filter(
            Q(due_on__in=due_dates_reminded_on(today, rules=rules, calendar=calendar)) | Q(due_on__lt=today)
        )
        .select_related("task", "task__lead_department", "department", "district", "ward")
        .order_by("due_on", "pk")
    )
    due = []
    for assignment in candidates:
        kind = reminder_kind(assignment.due_on, today, rules=rules, calendar=calendar)
        if kind is not None:
            due.append((assignment, kind))
    return due


def reminders_due(
    *, today: date, due: list[tuple[Assignment, ReminderKind]] | None = None
) -> list[PlannedReminder]:
    """Who is reminded of what on `today`, in a fixed number of queries (`due`: assignments_to_remind's).

    Recipients: the active users of the assigned unit who have an e-mail address and have not opted out.
    An escalation goes to every member of the unit, its heads (Role.UNIT_HEAD) among them, and to the staff
    of the task's lead department, whether they opted out or not. One line per assignment and person.
    """
    due = assignments_to_remind(today=today) if due is None else due
    if not due:
        return []

    units = {_unit_key(a) for a, _ in due}
    units |= {("department", a.task.lead_department_id) for a, k in due if k == ReminderKind.ESCALATION}
    ids = {
        field: {pk for f, pk in units if f == field and pk} for field in ("department", "district", "ward")
    }
    users = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(department_id__in=ids["department"])
            | Q(district_id__in=ids["district"])
            | Q(ward_id__in=ids["ward"])
        )
        .order_by("pk")
    )
    by_unit: dict[tuple[str, int], list[User]] = {}
    for user in users:
        by_unit.setdefault(_unit_key(user), []).append(user)

    planned = []
    for assignment, kind in due:
        members = by_unit.get(_unit_key(assignment), [])
        if kind == ReminderKind.ESCALATION:
            # The unit heads are members too; an escalation reaches members who opted out of the digest.
            recipients = {u.pk: u for u in members}
            if assignment.task.lead_department_id:
                lead_staff = by_unit.get(("department", assignment.task.lead_department_id), [])
                recipients |= {u.pk: u for u in lead_staff}
        else:
            recipients = {u.pk: u for u in members if not u.reminder_digest_opt_out}
        days_to_due = (assignment.due_on - today).days
        planned += [PlannedReminder(assignment, u, kind, days_to_due) for _, u in sorted(recipients.items())]
    return planned


def assignment_reminders(assignment: Assignment) -> list[dict]:
    """The assignment's reminders for its timeline: one entry per day, with who was reminded and how it went."""
    days: dict[date, dict] = {}
    for reminder in assignment.reminders.select_related("recipient").order_by("-sent_on", "recipient_id"):
        entry = days.setdefault(
            reminder.sent_on,
            {"sent_on": reminder.sent_on, "kinds": [], "reminders": [], "days_to_due": reminder.days_to_due},
        )
        if reminder.get_kind_display() not in entry["kinds"]:
            entry["kinds"].append(reminder.get_kind_display())
        entry["reminders"].append(reminder)
    return list(days.values())
