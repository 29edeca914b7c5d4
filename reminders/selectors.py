"""Who is reminded of what, and when: reads over assignments, users and the reminder settings."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q

from accounts.models import User
from org import units
from tasks.models import Assignment

from .models import Holiday, ReminderKind, ReminderSettings
from .rules import Rules, WorkingCalendar, due_dates_reminded_on, reminder_kind


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


def assignments_to_remind(*, today: date) -> list[tuple[Assignment, ReminderKind]]:
    """The assignments not done that get a reminder on `today`, with its kind (reminders.rules)."""
    rules, calendar = reminder_rules(), working_calendar()
    if not calendar.is_working_day(today):
        return []
    not_done = Q(completed_on__isnull=True) | Q(completed_on__gt=today)
    candidates = (
        Assignment.objects.existing_on(today)
        .filter(not_done)
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

    keys = {a.unit_key for a, _ in due}
    keys |= {("department", a.task.lead_department_id) for a, k in due if k == ReminderKind.ESCALATION}
    users = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(units.members_of_keys(keys))
        .order_by("pk")
    )
    by_unit: dict[tuple[str, int], list[User]] = {}
    for user in users:
        by_unit.setdefault(user.unit_key, []).append(user)

    planned = []
    for assignment, kind in due:
        members = by_unit.get(assignment.unit_key, [])
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
