"""The four official statuses at their date boundaries, in Python and in SQL alike (tasks/status.py)."""

from datetime import date, timedelta

import pytest
from django.db.models import Count, Q

from tasks.models import Assignment, Task
from tasks.status import Status, compute_status, status_q
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


@pytest.mark.parametrize("as_of", [DUE - timedelta(days=1), DUE, DUE + timedelta(days=1)])
def test_every_encoding_of_the_rule_agrees_on_every_kind_of_assignment(db, as_of):
    """compute_status (Python), status_expression (the SQL CASE) and status_q (the SQL filters, also through a
    relation) give each assignment the same one status, around every boundary of the rule."""
    task = Task.objects.get(title__startswith="Sẵn sàng vận hành")
    days = [DUE + timedelta(days=n) for n in (-2, -1, 0, 1, 2)]
    shapes = [(None, 40)] + [(day, 100) for day in days]  # open, or done on each day around the deadline
    rows = list(Assignment.objects.filter(task=task, ward__isnull=False).order_by("pk")[: len(shapes)])
    for row, (completed_on, percent) in zip(rows, shapes, strict=True):
        Assignment.objects.filter(pk=row.pk).update(due_on=DUE, completed_on=completed_on, percent=percent)
    ids = [row.pk for row in rows]

    in_python = {
        a.pk: compute_status(due_on=a.due_on, completed_on=a.completed_on, as_of=as_of)
        for a in Assignment.objects.filter(pk__in=ids)
    }
    by_case = dict(Assignment.objects.filter(pk__in=ids).with_status(as_of).values_list("pk", "status"))
    by_filter, over_relation = {}, {}
    for status in Status:
        for pk in Assignment.objects.filter(status_q(status, as_of), pk__in=ids).values_list("pk", flat=True):
            assert pk not in by_filter, "status_q gave one assignment two statuses"
            by_filter[pk] = status
        counted = Task.objects.filter(pk=task.pk).aggregate(
            n=Count(
                "assignments", filter=status_q(status, as_of, "assignments__") & Q(assignments__pk__in=ids)
            )
        )["n"]
        over_relation[status] = counted

    assert by_case == in_python == by_filter
    assert over_relation == {s: list(in_python.values()).count(s) for s in Status}
    assert len(set(in_python.values())) >= 2  # the sample really spans the boundary
