"""The task side of a ward-list import: counting and giving new wards their tasks in a fixed number of queries."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks.models import Assignment, Task, TaskScope
from tasks.selectors import new_unit_assignments
from tasks.services import assignments_sync_all
from wards.imports import ImportPlan
from wards.models import District, Ward


def _every_ward_tasks(n):
    document = Task.objects.first().document
    start = Task.objects.count()
    for i in range(start, start + n):
        Task.objects.create(
            document=document, title=f"Nhiệm vụ thử {i}", scope=TaskScope.EVERY_WARD, due_on=date(2022, 1, 1),
            is_illustrative=True,
        )  # fmt: skip


def _count(ward_codes=()):
    plan = ImportPlan(effective_on=date(2021, 3, 1), covered_districts=["001"])
    plan.created = [{"code": code} for code in ward_codes]
    with CaptureQueriesContext(connection) as ctx:
        n = new_unit_assignments(plan)
    return n, len(ctx.captured_queries)


def test_preview_count_matches_what_apply_adds_in_a_fixed_number_of_queries(db):
    _every_ward_tasks(3)  # created without assignments: 3 × 175 missing
    expected_missing = 3 * 175
    n, queries_small = _count()
    assert n == expected_missing
    _every_ward_tasks(20)
    n, queries_large = _count()
    assert n == expected_missing + 20 * 175
    assert queries_large == queries_small
    # A new ward (code not yet known) would get every every-ward task: 2 seeded + 23 created.
    assert _count(ward_codes=["99999"])[0] == n + 25
    added = assignments_sync_all()
    assert added == n
    assert _count()[0] == 0
    assert assignments_sync_all() == 0  # nothing twice


def test_sync_gives_a_restored_ward_its_tasks_and_keeps_retired_wards_assignments(db):
    ward = Ward.objects.get(code="00001")
    kept = Assignment.objects.filter(ward=ward).count()
    Ward.objects.filter(pk=ward.pk).update(retired_on=date(2025, 7, 1))
    _every_ward_tasks(1)
    assignments_sync_all()
    assert Assignment.objects.filter(ward=ward).count() == kept  # retired: no new task, nothing removed
    Ward.objects.filter(pk=ward.pk).update(retired_on=None)
    assert assignments_sync_all() == 1
    assert District.objects.get(code="001").assignments.count() == 2
