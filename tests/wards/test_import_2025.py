"""The lists after the district level: Hà Nội's 126 units of 01/07/2025 imported with the mapping of Nghị quyết
1656/NQ-UBTVQH15, in every shape the statistics office and the reference data give, onto the map of 30/06/2025."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from cqdt_portal.lib.staged_import import ImportRefused
from tasks.models import Assignment
from tasks.services import ward_list_import
from tests.conftest import shared_data_path
from tests.wards.builders import snapshot, write_csv, write_xlsx
from wards.imports import read_ward_list
from wards.models import District, Relation, Succession, Ward

REFORM = datetime.date(2025, 7, 1)
LAST_DAY = datetime.date(2025, 6, 30)
LOG = ("wards.WardImport",)


def units_2025() -> list[dict]:
    with open(shared_data_path("reform-2025", "hanoi_units_2025.csv"), encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def before_reform(map_until):
    """The map of 30/06/2025: 13 district-level units, 160 phường (the step of 01/01/2025 applied)."""
    map_until("2025-06-30")
    assert Ward.objects.existing_on(LAST_DAY).count() == 160


def import_2025(path, mapping=True, **options):
    mapping_path = shared_data_path("reform-2025", "hanoi_mapping_nq1656.csv")
    return ward_list_import(
        file_name=path.name,
        content=path.read_bytes(),
        province_code="01",
        effective_on=REFORM,
        mapping_file_name=mapping_path.name if mapping else "",
        mapping_content=mapping_path.read_bytes() if mapping else None,
        legal_basis="1656/NQ-UBTVQH15",
        **options,
    )


def test_the_126_units_and_the_mapping_replace_the_districts_and_hand_over_the_work(before_reform):
    phuc_xa = Ward.objects.existing_on(LAST_DAY).get(code="00001")
    open_at_phuc_xa = list(
        phuc_xa.assignments.filter(completed_on__isnull=True).values_list("task_id", flat=True)
    )
    _log, plan = import_2025(shared_data_path("reform-2025", "hanoi_units_2025.csv"))

    counts = plan.counts()
    assert (counts["created"], counts["retired"], counts["districts_ended"]) == (126, 160, 13)
    today = Ward.objects.existing_on(REFORM)
    assert today.count() == 126 and not today.filter(district__isnull=False).exists()
    assert today.filter(kind="phuong").count() == 51 and today.filter(kind="xa").count() == 75
    assert not District.objects.existing_on(REFORM).exists()
    assert set(District.objects.values_list("valid_to", "ended_by").distinct()) == {
        (LAST_DAY, "1656/NQ-UBTVQH15")
    }
    # Every one of the 795 pairs of the act is recorded: the 160 phường the portal held by their record, the
    # xã and thị trấn it never held by name.
    assert Succession.objects.filter(effective_on=REFORM).count() == 795
    assert Succession.objects.filter(effective_on=REFORM, predecessor__isnull=False).count() == (
        Succession.objects.filter(effective_on=REFORM, predecessor_code__in=list(
            Ward.objects.filter(valid_to=LAST_DAY).values_list("code", flat=True))).count()
    )  # fmt: skip

    # 00004 named Trúc Bạch until 30/06/2025 and Ba Đình from 01/07/2025: two units.
    truc_bach = Ward.objects.existing_on(LAST_DAY).get(code="00004")
    ba_dinh = Ward.objects.existing_on(REFORM).get(code="00004")
    assert (truc_bach.name, truc_bach.valid_to, ba_dinh.name, ba_dinh.valid_from) == (
        "Trúc Bạch", LAST_DAY, "Ba Đình", REFORM
    )  # fmt: skip
    # Phúc Xá went whole into Hồng Hà (00097, Tứ Liên's old code): its open work is there, linked, with its deadline.
    hong_ha = Ward.objects.existing_on(REFORM).get(code="00097")
    assert hong_ha.name == "Hồng Hà"
    assert phuc_xa.successions.get().relation == Relation.WHOLE
    received = Assignment.objects.filter(ward=hong_ha, handed_over_from__ward=phuc_xa).distinct()
    assert sorted(received.values_list("task_id", flat=True)) == sorted(open_at_phuc_xa)
    assert all(a.given_on == REFORM for a in received)
    assert {a.ended_on for a in phuc_xa.assignments.all()} == {LAST_DAY}
    # The preview listed it: each phường's open work goes to its successors; the districts' own work has none
    # named by the act, so it waits for the city's decision.
    assert all(item["to"] for item in plan.hand_overs if len(item["code"]) == 5)
    assert {item["code"] for item in plan.hand_overs if not item["to"]} == set(
        District.objects.values_list("code", flat=True)
    )


def test_the_import_gives_the_same_map_as_the_reference_data(before_reform, map_until):
    import_2025(shared_data_path("reform-2025", "hanoi_units_2025.csv"))
    imported = sorted(Ward.objects.existing_on(REFORM).values_list("code", "name", "kind"))
    imported_successions = sorted(
        Succession.objects.filter(effective_on=REFORM).values_list(
            "predecessor_code", "successor__code", "relation"
        )
    )
    map_until("2025-07-01")  # the reference data's own step finds everything already there
    assert sorted(Ward.objects.existing_on(REFORM).values_list("code", "name", "kind")) == imported
    assert (
        sorted(
            Succession.objects.filter(effective_on=REFORM).values_list(
                "predecessor_code", "successor__code", "relation"
            )
        )
        == imported_successions
    )
    assert [(u["code"], u["name"]) for u in units_2025()] == [(c, n) for c, n, _k in imported]


def test_importing_the_same_list_again_changes_nothing(before_reform):
    path = shared_data_path("reform-2025", "hanoi_units_2025.csv")
    import_2025(path)
    before = snapshot("wards", "tasks", skip=LOG)
    _log, plan = import_2025(path)
    assert not plan.units.has_changes and plan.counts()["unchanged"] == 126
    assert snapshot("wards", "tasks", skip=LOG) == before


def test_without_a_mapping_the_ended_units_open_work_waits_for_the_citys_decision(before_reform):
    _log, plan = import_2025(shared_data_path("reform-2025", "hanoi_units_2025.csv"), mapping=False)
    assert plan.counts()["handed_over"] == 0 and plan.counts()["awaiting_decision"] > 0
    assert not Succession.objects.filter(effective_on=REFORM).exists()
    phuc_xa = Ward.objects.get(code="00001", valid_to=LAST_DAY)
    awaiting = phuc_xa.assignments.filter(completed_on__isnull=True)
    assert awaiting.exists() and all(a.was_handed_over and not a.handed_over_to.exists() for a in awaiting)


@pytest.mark.parametrize("shape", ["gso_xlsx", "whole_country_csv", "plain_with_province"])
def test_every_shape_of_the_new_list_reads_the_same_126_units(before_reform, tmp_path, shape):
    units = units_2025()
    if shape == "gso_xlsx":
        header = ["Tỉnh Thành Phố", "Mã TP", "Phường Xã", "Mã PX", "Cấp", "Tên Tiếng Anh"]
        rows = [
            ["Thành phố Hà Nội", "01", f"{u['kind']} {u['name']}", u["code"], u["kind"], ""] for u in units
        ]
        rows.insert(40, ["Tỉnh Cao Bằng", "04", "Phường Thục Phán", "01273", "Phường", ""])
        path = write_xlsx(tmp_path / "Danh sách cấp xã.xlsx", header, rows)
    elif shape == "whole_country_csv":
        rows = [[u["code"], u["name"], u["kind"], "01"] for u in units]
        rows += [[f"{30000 + i:05d}", f"Xã Số {i}", "Xã", "79"] for i in range(3000)]
        path = write_csv(tmp_path / "ca_nuoc.csv", ["code", "name", "kind", "province"], rows)
    else:
        rows = [[u["code"], u["name"], u["kind"], "Thành phố Hà Nội"] for u in units]
        rows.append(["09999", "Xã Khác", "Xã", "Tỉnh Hà Giang"])
        path = write_csv(tmp_path / "ha_noi.csv", ["code", "name", "kind", "province"], rows)
    ward_list = read_ward_list(path.read_bytes(), province_code="01")
    assert not ward_list.with_districts and not ward_list.refused
    assert [(r.ward_code, r.ward_name) for r in ward_list.rows] == [(u["code"], u["name"]) for u in units]
    assert sum(ward_list.out_of_scope.values()) == len(rows) - 126
    _log, plan = import_2025(path)
    assert plan.counts()["created"] == 126 and Ward.objects.existing_on(REFORM).count() == 126


def test_a_mapping_that_does_not_fit_the_list_is_refused_and_nothing_changes(before_reform, tmp_path):
    text = shared_data_path("reform-2025", "hanoi_mapping_nq1656.csv").read_text(encoding="utf-8")
    text = text.replace(
        "00097,Hồng Hà,Phường,toan_bo,Phường,Phúc Xá", "00097,Hồng Hà,Phường,nhieu,Phường,Phúc Xá"
    )
    text = text.replace("\n00070,Hoàn Kiếm,", "\n00070,Hoàn Kiếm Cũ,", 1)
    bad = tmp_path / "mapping.csv"
    bad.write_text(text, encoding="utf-8")
    path = shared_data_path("reform-2025", "hanoi_units_2025.csv")
    before = snapshot("wards", "tasks", skip=LOG)
    with pytest.raises(ImportRefused) as refused:
        ward_list_import(
            file_name=path.name, content=path.read_bytes(), province_code="01", effective_on=REFORM,
            mapping_content=bad.read_bytes(),
        )  # fmt: skip
    reasons = [reason for _row, reason in refused.value.plan.refused]
    assert any("quan hệ “nhieu” không hợp lệ" in r for r in reasons)
    assert any("mã mới 00070 là “Hoàn Kiếm” trong danh mục, bảng ghi “Hoàn Kiếm Cũ”" in r for r in reasons)
    assert snapshot("wards", "tasks", skip=LOG) == before


def test_a_list_with_districts_after_the_district_level_ended_is_refused(before_reform, map_until, tmp_path):
    map_until("2025-07-01")
    path = shared_data_path("wards", "hanoi_2021-02_gso.xls")
    with pytest.raises(ImportRefused) as refused:
        ward_list_import(
            file_name=path.name, content=path.read_bytes(), province_code="01",
            effective_on=datetime.date(2025, 9, 1),
        )  # fmt: skip
    assert "từ 01/07/2025 địa bàn không còn cấp huyện" in refused.value.plan.refused[0][1]


def test_the_list_of_01_01_2025_is_read_with_its_districts(db, tmp_path):
    ward_list = read_ward_list(
        shared_data_path("reform-2025", "hanoi_units_2025-01.csv").read_bytes(), province_code="01"
    )
    assert ward_list.layout == "units_districts" and ward_list.with_districts
    assert len(ward_list.rows) == 160  # its phường; its xã and thị trấn are out of the pilot's scope
    assert {r.district_code for r in ward_list.rows} == set(District.objects.values_list("code", flat=True))


def test_the_command_takes_the_mapping_and_the_legal_basis(before_reform, capsys):
    units = shared_data_path("reform-2025", "hanoi_units_2025.csv")
    mapping = shared_data_path("reform-2025", "hanoi_mapping_nq1656.csv")
    call_command(
        "import_wards", str(units), "--effective-on", "2025-07-01", "--successions", str(mapping),
        "--legal-basis", "1656/NQ-UBTVQH15", stdout=io.StringIO(),
    )  # fmt: skip
    assert Ward.objects.existing_on(REFORM).count() == 126
    assert set(Ward.objects.filter(valid_to=LAST_DAY).values_list("ended_by", flat=True)) == {
        "1656/NQ-UBTVQH15"
    }
    with pytest.raises(CommandError, match="trước lần thay đổi địa bàn gần nhất"):
        call_command("import_wards", str(units), "--effective-on", "2025-03-01", stdout=io.StringIO())


def test_the_hand_over_shows_in_both_timelines(before_reform, client, city_official):
    import_2025(shared_data_path("reform-2025", "hanoi_units_2025.csv"))
    phuc_xa = Ward.objects.get(code="00001", valid_to=LAST_DAY)
    old = phuc_xa.assignments.filter(completed_on__isnull=True).first()
    new = old.handed_over_to.get()
    client.force_login(city_official)
    old_page = client.get(old.get_absolute_url()).text
    assert "Đã chuyển giao" in old_page and "Đơn vị thôi tồn tại sau ngày 30/06/2025" in old_page
    assert new.get_absolute_url() in old_page and "Phường Hồng Hà" in old_page
    new_page = client.get(new.get_absolute_url()).text
    assert "Nhận chuyển giao" in new_page and old.get_absolute_url() in new_page
    assert "Đã chuyển giao" not in new_page
