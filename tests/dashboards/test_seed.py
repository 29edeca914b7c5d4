"""`seed` loads the real reference data: the legal chain, 13 districts, 175 phường of 2021, Plan 100's duties."""

import csv
import io
from datetime import date

import xlrd
from django.apps import apps
from django.core.management import call_command

from org.models import Department
from plans.models import LegalDocument
from tasks.models import Assignment, Task, TaskScope
from tests.conftest import shared_data_path
from wards.models import District, Ward

WARDS_PER_DISTRICT = {
    "001": 14, "002": 18, "003": 8, "004": 14, "005": 8, "006": 21, "007": 18,
    "008": 14, "009": 11, "019": 10, "021": 13, "268": 17, "269": 9,
}  # fmt: skip


def test_the_legal_chain_runs_from_the_plan_to_the_resolution(db):
    plan = LegalDocument.objects.get(number="100/KH-UBND")
    assert [d.number for d in plan.ancestors()] == ["32/2021/NĐ-CP", "97/2019/QH14"]
    assert plan.issued_on.isoformat() == "2021-04-12"
    assert LegalDocument.objects.get(number="32/2021/NĐ-CP").issued_on.isoformat() == "2021-03-29"
    assert LegalDocument.objects.get(number="97/2019/QH14").issued_on.isoformat() == "2019-11-27"
    assert LegalDocument.objects.get(number="97/2019/QH14").implements is None


def test_thirteen_districts_and_175_active_wards(db):
    assert District.objects.count() == 13
    assert Ward.objects.current().count() == 175
    counts = {d.code: d.wards.current().count() for d in District.objects.all()}
    assert counts == WARDS_PER_DISTRICT
    assert District.objects.get(code="269").get_kind_display() == "Thị xã"


def test_the_two_hai_ba_trung_wards_merged_in_2020_are_retired_with_their_successors(db):
    assert Ward.objects.count() == 177  # Resolution 97's count
    bui_thi_xuan, ngo_thi_nham = Ward.objects.get(code="00250"), Ward.objects.get(code="00253")
    # Both were in the list of 01/01/2020 and no longer in that of 01/03/2020.
    assert bui_thi_xuan.valid_to == ngo_thi_nham.valid_to == date(2020, 2, 29)
    assert [(s.successor.code, s.relation) for s in bui_thi_xuan.successions.all()] == [("00241", "toan_bo")]
    assert sorted((s.successor.code, s.relation) for s in ngo_thi_nham.successions.all()) == [
        ("00241", "mot_phan"),
        ("00247", "phan_con_lai"),
    ]
    assert bui_thi_xuan.district.code == "007"


def test_plan_100_duties_are_assigned_as_the_press_reports(db):
    plan = LegalDocument.objects.get(number="100/KH-UBND")
    tasks = Task.objects.filter(document=plan)
    assert tasks.count() == 5
    assert tasks.get(lead_department__code="so-tu-phap").assignments.get().department.name == "Sở Tư pháp"
    assert tasks.get(lead_department__code="so-noi-vu").assignments.get().department.name == "Sở Nội vụ"
    readiness = tasks.get(scope=TaskScope.EVERY_DISTRICT_AND_WARD, due_on="2021-07-01")
    assert not readiness.deadline_is_illustrative
    assert readiness.assignments.filter(ward__isnull=False).count() == 175
    assert readiness.assignments.filter(district__isnull=False).count() == 13
    assert not readiness.assignments.filter(ward__valid_to__lt=readiness.given_on).exists()
    # Given on the plan's date: the figures of an earlier day do not count them.
    assert set(readiness.assignments.values_list("given_on", flat=True)) == {plan.issued_on}
    # Deadlines the press does not give are flagged and say so in the description.
    for task in tasks.filter(deadline_is_illustrative=True):
        assert "minh hoạ" in task.description
    assert Assignment.objects.count() == 1 + 1 + 1 + 188 + 188


def _snapshot():
    rows = {}
    for app in ("plans", "wards", "org", "tasks", "accounts", "auth"):
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def test_seed_twice_changes_nothing(db):
    call_command("seed", stdout=io.StringIO())  # the whole reference data, 2025 included
    before = _snapshot()
    out = io.StringIO()
    call_command("seed", stdout=out)
    assert _snapshot() == before
    assert "created" not in out.getvalue().replace("assignments_created 0", "")
    assert "updated" not in out.getvalue()


def test_seed_restores_a_changed_fact_and_keeps_the_rest(db):
    Department.objects.filter(code="so-tu-phap").update(name="Sở Tư pháp (sai)")
    call_command("seed", stdout=io.StringIO())
    assert Department.objects.get(code="so-tu-phap").name == "Sở Tư pháp"


def test_project_ward_list_matches_the_statistics_office_csv(db):
    with open(shared_data_path("wards", "hanoi_wards_2021.csv"), encoding="utf-8") as f:
        expected = {(r["district_code"], r["ward_code"], r["ward_name"]) for r in csv.DictReader(f)}
    actual = set(Ward.objects.existing_on(date(2021, 2, 1)).values_list("district__code", "code", "name"))
    assert actual == expected


def test_project_ward_list_matches_the_statistics_office_xls(db):
    sheet = xlrd.open_workbook(
        shared_data_path("wards", "hanoi_2021-02_gso.xls"), logfile=io.StringIO()
    ).sheet_by_index(0)
    header = sheet.row_values(0)
    rows = [dict(zip(header, sheet.row_values(i), strict=True)) for i in range(1, sheet.nrows)]
    expected = {(r["Mã QH"], r["Mã PX"], r["Phường Xã"]) for r in rows if r["Cấp"] == "Phường"}
    actual = {
        (d, c, f"Phường {n}")
        for d, c, n in Ward.objects.existing_on(date(2021, 2, 1)).values_list(
            "district__code", "code", "name"
        )
    }
    assert actual == expected
