"""Fixtures for the reminder tests: a database where only the assignments a test creates are open."""

from datetime import date, timedelta
from itertools import count

import pytest

from org.models import Department
from plans.models import LegalDocument
from tasks.models import Assignment, Task
from wards.models import Ward

_numbers = count(1)


def quiet_seeded_assignments():
    """Complete every seeded assignment (in 2021), so a test's reminders are about its own assignments only."""
    Assignment.objects.update(completed_on=date(2021, 1, 1), percent=100)


def make_assignment(due_on: date, *, ward: str | None = None, department: str | None = None, title: str = ""):
    """A new open assignment of a new task led by Sở Tư pháp, given to a ward (default Phúc Xá) or a department."""
    task = Task.objects.create(
        document=LegalDocument.objects.get(number="100/KH-UBND"),
        title=title or f"Nhiệm vụ kiểm thử {next(_numbers)}",
        lead_department=Department.objects.get(code="so-tu-phap"),
        given_on=due_on - timedelta(days=60),
        due_on=due_on,
        is_illustrative=True,
    )
    if department:
        unit = {"department": Department.objects.get(code=department)}
    else:
        unit = {"ward": Ward.objects.get(code=ward or "00001")}
    return Assignment.objects.create(
        task=task, given_on=task.given_on, due_on=due_on, original_due_on=due_on, **unit
    )


@pytest.fixture
def quiet(db):
    quiet_seeded_assignments()


@pytest.fixture
def assign(quiet):
    return make_assignment
