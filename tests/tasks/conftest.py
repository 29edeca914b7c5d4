"""Fixtures for the reminder tests: a database where only the assignments a test creates are open."""

from datetime import date

import pytest

from plans.models import LegalDocument
from tasks.models import Assignment, Department, Task
from wards.models import Ward


@pytest.fixture
def quiet(db):
    """Complete every seeded assignment (in 2021), so a test's reminders are about its own assignments only."""
    Assignment.objects.update(completed_on=date(2021, 1, 1), percent=100)


@pytest.fixture
def assign(quiet):
    """assign(due_on, ward="00001" | department="so-noi-vu", title=…) → a new open assignment of a new task."""
    counter = iter(range(1, 10_000))

    def make(due_on: date, *, ward: str | None = None, department: str | None = None, title: str = ""):
        task = Task.objects.create(
            document=LegalDocument.objects.get(number="100/KH-UBND"),
            title=title or f"Nhiệm vụ kiểm thử {next(counter)}",
            lead_department=Department.objects.get(code="so-tu-phap"),
            due_on=due_on,
            is_illustrative=True,
        )
        unit = {"department": Department.objects.get(code=department)} if department else {}
        if not department:
            unit = {"ward": Ward.objects.get(code=ward or "00001")}
        return Assignment.objects.create(task=task, due_on=due_on, original_due_on=due_on, **unit)

    return make
