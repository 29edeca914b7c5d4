"""The reminder calendar at fixed dates: offsets, the due day, overdue repeats, weekends, holidays, escalation."""

from datetime import date, timedelta

import pytest

from reminders.models import ReminderKind
from reminders.rules import Rules, WorkingCalendar, due_dates_reminded_on, overdue_residues_on, reminder_kind

RULES = Rules(offsets=(7, 3, 1), overdue_every_days=7, escalate_after=3)
NO_HOLIDAYS = WorkingCalendar()
THURSDAY = date(2025, 10, 16)
SATURDAY = date(2025, 10, 18)


def kinds_between(due_on, start, end, *, rules=RULES, calendar=NO_HOLIDAYS):
    """{day: kind} of every reminder from start to end inclusive."""
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    found = {day: reminder_kind(due_on, day, rules=rules, calendar=calendar) for day in days}
    return {day: kind for day, kind in found.items() if kind}


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2025, 10, 9), ReminderKind.BEFORE_DUE),  # 7 days before, a Thursday
        (date(2025, 10, 13), ReminderKind.BEFORE_DUE),  # 3 days before, a Monday
        (date(2025, 10, 15), ReminderKind.BEFORE_DUE),  # 1 day before
        (THURSDAY, ReminderKind.DUE),
        (date(2025, 10, 17), ReminderKind.OVERDUE),  # the first day overdue
        (date(2025, 10, 10), None),
        (date(2025, 10, 14), None),
        (date(2025, 10, 8), None),  # 8 days before: not an offset
    ],
)
def test_each_offset_the_due_day_and_the_first_overdue_day_get_a_reminder(today, expected):
    assert reminder_kind(THURSDAY, today, rules=RULES, calendar=NO_HOLIDAYS) == expected


def test_overdue_reminders_repeat_every_seven_days_and_the_calendar_alone_never_escalates():
    # Escalation counts the reminders that reached the unit (tests/reminders/test_reminders.py), not dates.
    found = kinds_between(THURSDAY, date(2025, 10, 17), date(2025, 11, 21))
    assert found == {
        date(2025, 10, 17): ReminderKind.OVERDUE,
        date(2025, 10, 24): ReminderKind.OVERDUE,
        date(2025, 10, 31): ReminderKind.OVERDUE,
        date(2025, 11, 7): ReminderKind.OVERDUE,
        date(2025, 11, 14): ReminderKind.OVERDUE,
        date(2025, 11, 21): ReminderKind.OVERDUE,
    }


def test_the_repeat_follows_the_admins_settings():
    rules = Rules(offsets=(10,), overdue_every_days=3, escalate_after=1)
    found = kinds_between(THURSDAY, date(2025, 10, 1), date(2025, 10, 23), rules=rules)
    assert found == {
        date(2025, 10, 6): ReminderKind.BEFORE_DUE,  # 10 days before
        THURSDAY: ReminderKind.DUE,
        date(2025, 10, 17): ReminderKind.OVERDUE,
        date(2025, 10, 20): ReminderKind.OVERDUE,
        date(2025, 10, 23): ReminderKind.OVERDUE,
    }


def test_a_deadline_on_saturday_is_reminded_on_the_fridays_before_and_overdue_on_monday():
    found = kinds_between(SATURDAY, date(2025, 10, 6), date(2025, 10, 31))
    assert found == {
        date(
            2025, 10, 10
        ): ReminderKind.BEFORE_DUE,  # the 7-day reminder (Sat 11) goes on Friday, 8 days ahead
        date(2025, 10, 15): ReminderKind.BEFORE_DUE,  # 3 days before, a Wednesday
        date(2025, 10, 17): ReminderKind.DUE,  # the 1-day and the due-day reminders, one line on Friday
        date(
            2025, 10, 20
        ): ReminderKind.OVERDUE,  # first overdue day is Sunday 19: sent on Monday, not before
        date(2025, 10, 27): ReminderKind.OVERDUE,
    }


def test_no_reminder_goes_out_on_a_weekend():
    for due_on in (SATURDAY, THURSDAY, date(2025, 10, 19)):
        assert kinds_between(due_on, date(2025, 10, 11), date(2025, 10, 12)) == {}


def test_a_reminder_falling_on_a_holiday_goes_on_the_working_day_before():
    # 30/4 and 1/5 are public holidays; a deadline on Friday 2/5: the 1-day reminder moves back to Tue 29/4.
    calendar = WorkingCalendar(holidays=frozenset({date(2025, 4, 30), date(2025, 5, 1)}))
    found = kinds_between(date(2025, 5, 2), date(2025, 4, 24), date(2025, 5, 2), calendar=calendar)
    assert found == {
        date(2025, 4, 25): ReminderKind.BEFORE_DUE,  # 7 days before
        date(2025, 4, 29): ReminderKind.BEFORE_DUE,  # 3 days before, and the 1-day one moved from 1/5
        date(2025, 5, 2): ReminderKind.DUE,
    }


def test_an_overdue_reminder_falling_in_tet_goes_on_the_first_working_day_after():
    tet_2026 = frozenset(date(2026, 2, 17) + timedelta(days=n) for n in range(3))  # mùng 1–3, Tue–Thu
    calendar = WorkingCalendar(holidays=tet_2026)
    # Due Mon 16/2: first overdue day is Tue 17/2 (mùng 1), sent on Friday 20/2.
    found = kinds_between(date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 24), calendar=calendar)
    assert found == {date(2026, 2, 20): ReminderKind.OVERDUE, date(2026, 2, 24): ReminderKind.OVERDUE}


def test_the_sql_prefilter_covers_every_pre_deadline_reminder_of_the_day():
    # On Friday 17/10/2025 the days Sat 18 and Sun 19 are reminded too: deadlines 17–19 and +1, +3, +7.
    dates = due_dates_reminded_on(date(2025, 10, 17), rules=RULES, calendar=NO_HOLIDAYS)
    assert {SATURDAY, date(2025, 10, 24), date(2025, 10, 26), date(2025, 10, 20)} <= dates
    assert due_dates_reminded_on(SATURDAY, rules=RULES, calendar=NO_HOLIDAYS) == set()


@pytest.mark.parametrize("every", [1, 3, 7])
def test_the_sql_prefilter_covers_every_overdue_reminder_of_the_day_after_weekends_and_tet(every):
    rules = Rules(offsets=(7, 3, 1), overdue_every_days=every, escalate_after=3)
    tet_2026 = WorkingCalendar(holidays=frozenset(date(2026, 2, 14) + timedelta(days=n) for n in range(9)))
    for calendar in (NO_HOLIDAYS, tet_2026):
        for today in (date(2026, 2, 13) + timedelta(days=n) for n in range(14)):
            residues = overdue_residues_on(today, rules=rules, calendar=calendar)
            for due_on in (today - timedelta(days=n) for n in range(1, 60)):
                if reminder_kind(due_on, today, rules=rules, calendar=calendar) == ReminderKind.OVERDUE:
                    assert (today - due_on).days % every in residues, (today, due_on)
    # A weekend's overdue reminders go on Monday: three nominal days, three remainders.
    assert overdue_residues_on(date(2025, 10, 20), rules=RULES, calendar=NO_HOLIDAYS) == {1, 2, 3}
    assert overdue_residues_on(SATURDAY, rules=RULES, calendar=NO_HOLIDAYS) == set()
