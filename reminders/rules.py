"""When an assignment is due a reminder: pure date rules, no database (tested at fixed dates).

The rules, for an assignment not done whose deadline is D, with offsets N (default 7, 3, 1) and a repeat of M
days (default 7) once overdue:

- Nominal days: D − N for each offset ("sắp đến hạn"), D itself ("đến hạn"), and D + 1, D + 1 + M,
  D + 1 + 2M… ("quá hạn"; D + 1 is the first day the assignment is overdue, see models.compute_status).
- Reminders go out on working days only: Monday to Friday, except the days in the Holiday table.
- A reminder before or on the deadline whose nominal day is not a working day goes out on the working day
  BEFORE it (a Saturday goes to the Friday, a holiday to the day before it), so it is never late: the 7-day
  reminder for a deadline on a Saturday is sent on Friday, eight days ahead.
- An overdue reminder whose nominal day is not a working day goes out on the working day AFTER it: moved
  earlier it would remind of a delay that has not happened yet (D + 1 on a Saturday would fall on D itself).
- Reminders that land on the same working day become one line of the digest, the most pressing kind
  winning (e.g. a deadline on Monday: the 1-day and the 3-day reminders both fall on Friday).
- Escalation is not a date rule: an overdue reminder becomes one only after `escalate_after` reminders of the
  delay actually reached someone of the unit (selectors.assignments_to_remind counts them in the log), so the
  first reminder a unit ever gets never escalates, and a unit nobody can be mailed at is listed for admins
  instead of being escalated in silence.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from .models import ReminderKind

# A run of days off longer than this means the calendar is wrong (a year of holidays typed by mistake):
# stop searching rather than loop.
MAX_DAYS_OFF_IN_A_ROW = 31


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def days_sent_on(self, day: date) -> list[date]:
        """The nominal days whose pre-deadline reminder goes out on `day`: `day` and the days off after it."""
        if not self.is_working_day(day):
            return []
        days = [day]
        following = day + timedelta(days=1)
        while not self.is_working_day(following) and len(days) <= MAX_DAYS_OFF_IN_A_ROW:
            days.append(following)
            following += timedelta(days=1)
        return days

    def days_caught_up_on(self, day: date) -> list[date]:
        """The nominal days whose overdue reminder goes out on `day`: the days off before it, and `day`."""
        if not self.is_working_day(day):
            return []
        days = [day]
        previous = day - timedelta(days=1)
        while not self.is_working_day(previous) and len(days) <= MAX_DAYS_OFF_IN_A_ROW:
            days.append(previous)
            previous -= timedelta(days=1)
        return days


@dataclass(frozen=True)
class Rules:
    offsets: tuple[int, ...] = (7, 3, 1)
    overdue_every_days: int = 7
    escalate_after: int = 3


def due_dates_reminded_on(today: date, *, rules: Rules, calendar: WorkingCalendar) -> set[date]:
    """The deadlines that get a before-due or due-day reminder on `today` (to filter in SQL)."""
    nominal = calendar.days_sent_on(today)
    return {day + timedelta(days=n) for day in nominal for n in (0, *rules.offsets)}


def overdue_residues_on(today: date, *, rules: Rules, calendar: WorkingCalendar) -> set[int]:
    """The remainders, modulo the overdue repeat, of `today − D` in days for the deadlines D that get an overdue
    reminder on `today` (to filter in SQL: every overdue deadline reminded today has one of them, and
    reminder_kind decides). The reminder of nominal day d goes when d − D − 1 is a multiple of the repeat."""
    return {((today - day).days + 1) % rules.overdue_every_days for day in calendar.days_caught_up_on(today)}


def reminder_kind(
    due_on: date, today: date, *, rules: Rules, calendar: WorkingCalendar
) -> ReminderKind | None:
    """The kind of reminder an assignment not done by `today`, due on `due_on`, gets on `today`, if any (an
    overdue one may still become an escalation, from the reminders that reached the unit)."""
    if due_on >= today:
        nominal = calendar.days_sent_on(today)
        if due_on in nominal:
            return ReminderKind.DUE
        if any(due_on - timedelta(days=n) in nominal for n in rules.offsets):
            return ReminderKind.BEFORE_DUE
        return None
    if any(
        day > due_on and (day - due_on - timedelta(days=1)).days % rules.overdue_every_days == 0
        for day in calendar.days_caught_up_on(today)
    ):
        return ReminderKind.OVERDUE
    return None
