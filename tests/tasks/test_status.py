"""The four official statuses at their date boundaries, in Python and in SQL alike."""

from datetime import date

import pytest

from tasks.models import Assignment, Task
from tasks.status import Status, compute_status
from wards.models import Ward

DUE = date(2021, 7, 1)

CASES = [
    # (completed_on, as_of, expected)
    (date(2021, 7, 1), date(2021, 7, 1), Status.DONE_ON_TIME),  # done on the due day: on time
    (date(2021, 6, 1), date(2021, 12, 31), Status.DONE_ON_TIME),
    (date(2021, 7, 2), date(2021, 7, 2), Status.DONE_LATE),  # one day after the due day: late
    (None, date(2021, 7, 1), Status.OPEN_ON_TIME),  # not done, due today: still within the deadline
    (None, date(2021, 7, 2), Status.OVERDUE),  # not done the day after: overdue
    (
        date(2021, 7, 10),
        date(2021, 6, 30),
        Status.OPEN_ON_TIME,
    ),  # completion after the as-of date did not count yet
    (date(2021, 7, 10), date(2021, 7, 5), Status.OVERDUE),
]


@pytest.mark.parametrize("completed_on, as_of, expected", CASES)
def test_status_is_derived_from_due_completion_and_report_dates(completed_on, as_of, expected):
    assert compute_status(due_on=DUE, completed_on=completed_on, as_of=as_of) == expected


@pytest.mark.parametrize("completed_on, as_of, expected", CASES)
def test_sql_status_agrees_with_python(db, completed_on, as_of, expected):
    task = Task.objects.get(title__startswith="Sẵn sàng vận hành")
    assignment = Assignment.objects.get(task=task, ward=Ward.objects.get(code="00001"))
    Assignment.objects.filter(pk=assignment.pk).update(
        due_on=DUE, completed_on=completed_on, percent=100 if completed_on else 40
    )
    annotated = Assignment.objects.with_status(as_of).get(pk=assignment.pk)
    assert annotated.status == expected
    assert annotated.status_on(as_of) == expected
