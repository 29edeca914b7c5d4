"""Who is reminded of what, and when: reads over assignments, users and the reminder settings."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, DateField, Exists, F, Func, IntegerField, Min, OuterRef, Q, Value
from django.db.models.functions import Cast, Mod

from accounts.models import User
from cqdt_portal.lib.vn import fold
from org import units
from tasks.models import Assignment

from .models import OVERDUE_KINDS, Holiday, Reminder, ReminderKind, ReminderSettings, ReminderStatus
from .rules import Rules, WorkingCalendar, due_dates_reminded_on, overdue_residues_on, reminder_kind


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


class _DaysSince(Func):
    """Whole days from the date column `field` to `day` (positive when the column is earlier)."""

    output_field = IntegerField()

    def __init__(self, day: date, field: str):
        super().__init__(Cast(Value(day), DateField()), F(field))

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL: date − date is a number of days.
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


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
    # The deadlines reminded today, in SQL: most overdue assignments are not (one day in seven), and reading
    # them as instances was most of the planning's time.
    overdue = Q(
        due_on__lt=today, days_late_mod__in=overdue_residues_on(today, rules=rules, calendar=calendar)
    )
    candidates = (
        Assignment.objects.existing_on(today)
        .filter(not_done)
        .alias(days_late_mod=Mod(_DaysSince(today, "due_on"), Value(rules.overdue_every_days)))
        .filter(Q(due_on__in=due_dates_reminded_on(today, rules=rules, calendar=calendar)) | overdue)
        .select_related("task", "department", "district", "ward")
        .order_by("due_on", "pk")
    )
    due = []
    for assignment in candidates:
        kind = reminder_kind(assignment.due_on, today, rules=rules, calendar=calendar)
        if kind is not None:
            due.append((assignment, kind))
    # An overdue reminder escalates only after `escalate_after` reminders of the delay reached the unit.
    delivered = reminders_delivered([a.pk for a, kind in due if kind == ReminderKind.OVERDUE], before=today)
    return [
        (a, ReminderKind.ESCALATION)
        if kind == ReminderKind.OVERDUE and len(delivered.get(a.pk, [])) >= rules.escalate_after
        else (a, kind)
        for a, kind in due
    ]


def reminders_delivered(assignment_ids, *, before: date | None = None) -> dict[int, list[date]]:
    """{assignment id: the days, oldest first, on which a reminder of its delay (overdue, escalation, chase)
    was sent to someone of the assignment's own unit}, in one query. A chase counts once, even on a day of
    the daily reminder; the mail to the lead department or to people who have left the unit does not count."""
    rows = (
        Reminder.objects.filter(
            assignment_id__in=assignment_ids, kind__in=OVERDUE_KINDS, status=ReminderStatus.SENT
        )
        .filter(units.sharing_unit_with(lambda field: F(f"assignment__{field}"), "recipient__"))
        .values_list("assignment_id", "sent_on", "chase_id")
        .distinct()
        .order_by("assignment_id", "sent_on", "chase_id")
    )
    if before is not None:
        rows = rows.filter(sent_on__lt=before)
    delivered: dict[int, list[date]] = {}
    for assignment_id, sent_on, _chase in rows:
        delivered.setdefault(assignment_id, []).append(sent_on)
    return delivered


def units_nobody_receives(*, today: date) -> list[dict]:
    """The units with work not done on `today` and no active user with an e-mail address: no reminder, chase
    or escalation can reach them. Each: {"unit", "open", "overdue", "oldest_due"}, most overdue first, in a
    fixed number of queries (one for the counts, one per kind of unit for the names)."""
    reachable = User.objects.filter(is_active=True).exclude(email="")
    rows = (
        Assignment.objects.existing_on(today)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=today))
        .filter(~Exists(reachable.filter(units.sharing_unit_with(OuterRef))))
        .values("department_id", "district_id", "ward_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)), oldest_due=Min("due_on"))
        .order_by()
    )
    found = [
        {
            **row,
            "key": units.key_from_ids(
                department=row["department_id"], district=row["district_id"], ward=row["ward_id"]
            ),
        }
        for row in rows
    ]
    names = units.units_by_key([row["key"] for row in found], names_on=today)
    result = [
        {
            "unit": names[row["key"]],
            "kind": row["key"][0],
            "open": row["open"],
            "overdue": row["overdue"],
            "oldest_due": row["oldest_due"],
        }
        for row in found
        if row["key"] in names
    ]
    result.sort(key=lambda r: (-r["overdue"], -r["open"], fold(str(r["unit"]))))
    return result


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
    """The assignment's reminders for its timeline: one entry per day of the daily digest, and one per chase
    (with who chased and the message), each with who was reminded and how it went."""
    days: dict[tuple, dict] = {}
    for reminder in assignment.reminders.select_related("recipient", "chase__sent_by").order_by(
        "-sent_on", "recipient_id"
    ):
        entry = days.setdefault(
            (reminder.sent_on, reminder.chase_id),
            {
                "sent_on": reminder.sent_on,
                "chase": reminder.chase,
                "kinds": [],
                "reminders": [],
                "days_to_due": reminder.days_to_due,
            },
        )
        if reminder.get_kind_display() not in entry["kinds"]:
            entry["kinds"].append(reminder.get_kind_display())
        entry["reminders"].append(reminder)
    return list(days.values())
