"""The task side of a ward-list import: counting and giving new wards their tasks in a fixed number of queries."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks.models import Assignment, Task, TaskScope
from tasks.selectors import new_unit_assignments
from tasks.services import assignments_sync_all
from wards.models import District, Ward
from wards.planning import ImportPlan


def _every_ward_tasks(n):
    document = Task.objects.first().document
    start = Task.objects.count()
    for i in range(start, start + n):
        Task.objects.create(
            document=document, title=f"Nhiệm vụ thử {i}", scope=TaskScope.EVERY_WARD, given_on=date(2021, 4, 12),
            due_on=date(2022, 1, 1), is_illustrative=True,
        )  # fmt: skip


def _count(ward_codes=()):
    plan = ImportPlan(effective_on=date(2021, 3, 1), covered_districts=["001"])
    plan.created = [{"code": code, "kind": "phuong", "district_code": "001"} for code in ward_codes]
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


def test_sync_reaches_the_units_that_exist_before_the_deadline_and_none_that_end_before_it(db):
    phuc_xa = Ward.objects.get(code="00001")
    kept = Assignment.objects.filter(ward=phuc_xa).count()
    Ward.objects.filter(pk=phuc_xa.pk).update(valid_to=date(2025, 6, 30))
    later = Ward.objects.create(
        code="99999", name="Mới", district=phuc_xa.district, valid_from=date(2025, 7, 1)
    )
    document = Task.objects.first().document
    task = Task.objects.create(
        document=document, title="Nhiệm vụ thử đến năm 2026", scope=TaskScope.EVERY_WARD,
        given_on=date(2021, 4, 12), due_on=date(2026, 1, 1), is_illustrative=True,
    )  # fmt: skip
    # Not Phúc Xá: it ends before the deadline; the phường that begins on 01/07/2025 from its first day.
    assert assignments_sync_all() == 175
    assert Assignment.objects.filter(ward=phuc_xa).count() == kept  # and nothing of its own is removed
    assert Assignment.objects.get(ward=later, task=task).given_on == date(2025, 7, 1)
    assert District.objects.get(code="001").assignments.count() == 2
