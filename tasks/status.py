"""The status of an assignment: the one rule, and its three encodings.

The Government Office's reports count tasks that are due in four statuses, derived from the deadline in force,
the completion date and the date of the report, never typed in: done on or before the deadline (on time), done
after it (late), not done up to and including the due day (within the deadline), not done from the day after
(overdue). A completion dated after the report's date had not happened yet then.

The rule is written three ways because it is read three ways: `compute_status` for one assignment in Python,
`status_expression` as a SQL CASE to group and count by status, and `status_q` as plain date conditions to
filter (PostgreSQL matches these to its date indexes, the CASE it cannot). tests/tasks/test_status.py holds
the three to each other at every boundary.
"""

from datetime import date

from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The four statuses of the Government Office's reports, derived from dates, never set by hand.

    Done: on time when the completion date is on or before the deadline in force. Not done: within the
    deadline up to and including the due day, overdue from the day after.
    """

    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    OPEN_ON_TIME = "open_on_time", _("Chưa hoàn thành – trong hạn")
    OVERDUE = "overdue", _("Chưa hoàn thành – quá hạn")


# A short symbol for each status, so that a colour is never the only sign (tables, the ward matrix).
STATUS_SYMBOLS = {
    Status.DONE_ON_TIME: "✓",
    Status.DONE_LATE: "✓!",
    Status.OPEN_ON_TIME: "○",
    Status.OVERDUE: "✗",
}


def compute_status(*, due_on: date, completed_on: date | None, as_of: date) -> Status:
    """The status as at `as_of`. A completion dated after `as_of` had not happened yet then."""
    if completed_on is not None and completed_on <= as_of:
        return Status.DONE_ON_TIME if completed_on <= due_on else Status.DONE_LATE
    return Status.OPEN_ON_TIME if as_of <= due_on else Status.OVERDUE


def status_expression(as_of: date):
    """compute_status() as SQL, so lists and counts are filtered and aggregated in the database."""
    done = Q(completed_on__isnull=False, completed_on__lte=as_of)
    return Case(
        When(done & Q(completed_on__lte=F("due_on")), then=Value(Status.DONE_ON_TIME.value)),
        When(done, then=Value(Status.DONE_LATE.value)),
        When(due_on__gte=as_of, then=Value(Status.OPEN_ON_TIME.value)),
        default=Value(Status.OVERDUE.value),
        output_field=CharField(),
    )


def exists_q(as_of: date, prefix: str = "") -> Q:
    """The assignments (reached through `prefix`) that existed on `as_of`: given by then and not yet ended.
    Every figure as of a day counts only these; the status rule applies to them."""
    given = Q(**{f"{prefix}given_on__lte": as_of})
    return given & (Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": as_of}))


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
