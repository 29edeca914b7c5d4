"""What an import does: create, rename, move, retire (never delete), only within the districts the file covers."""

import datetime

import pytest
from django.core.management import call_command

from cqdt_portal.lib.staged_import import ImportRefused
from tasks.models import Assignment, Task, TaskScope
from tasks.services import ward_list_apply, ward_list_import, ward_list_stage
from tests.conftest import shared_data_path
from tests.wards.builders import (
    GSO_HEADER,
    PLAIN_HEADER,
    gso_sample_rows,
    plain_rows_2020,
    plain_rows_2021,
    snapshot,
    write_csv,
    write_xlsx,
)
from wards.imports import plan_import, read_ward_list
from wards.models import ChangeKind, District, Ward, WardChange, WardImport

ON = datetime.date(2021, 3, 1)
MERGED_ON = datetime.date(2020, 3, 1)


def import_file(path, *, effective_on=ON, province="01", successors=None):
    ward_import, _ = ward_list_stage(
        file_name=path.name, content=path.read_bytes(), province_code=province, effective_on=effective_on
    )
    return ward_import, ward_list_apply(ward_import=ward_import, successors=successors)


def set_2020_state():
    """The database as of Resolution 97: 177 phường, Bùi Thị Xuân and Ngô Thì Nhậm still existing."""
    for ward in Ward.objects.filter(code__in=["00250", "00253"]):
        ward.successors.clear()
    Ward.objects.filter(code__in=["00250", "00253"]).update(retired_on=None, retirement_note="")


def test_the_2020_merge_retires_the_two_hai_ba_trung_wards_with_the_effective_date_and_successors(
    db, tmp_path
):
    set_2020_state()
    assignments_before = Assignment.objects.count()
    _, plan_2020 = import_file(write_csv(tmp_path / "dvhc_2020-01.csv", PLAIN_HEADER, plain_rows_2020()))
    assert plan_2020.counts()["unchanged"] == 177 and not plan_2020.units.has_changes
    # The two wards, existing again, are given Plan 100's two "every ward" duties; the preview said so.
    assert plan_2020.new_assignments == Assignment.objects.count() - assignments_before == 4
    assert Ward.objects.active().count() == 177

    xls = shared_data_path("wards", "hanoi_2021-02_gso.xls")
    ward_import, plan = import_file(
        xls, effective_on=MERGED_ON, successors={"00250": ["00241"], "00253": ["00241", "00247"]}
    )

    assert [i["code"] for i in plan.units.retired] == ["00250", "00253"]
    assert plan.counts()["unchanged"] == 175
    assert Ward.objects.active().count() == 175
    assert Ward.objects.count() == 177  # retired, never deleted
    bui_thi_xuan, ngo_thi_nham = Ward.objects.get(code="00250"), Ward.objects.get(code="00253")
    assert bui_thi_xuan.retired_on == ngo_thi_nham.retired_on == MERGED_ON
    assert [w.code for w in bui_thi_xuan.successors.all()] == ["00241"]
    assert sorted(w.code for w in ngo_thi_nham.successors.all()) == ["00241", "00247"]
    changes = WardChange.objects.filter(ward_import=ward_import)
    assert sorted(changes.values_list("ward__code", "kind", "effective_on")) == [
        ("00250", ChangeKind.RETIRED, MERGED_ON),
        ("00253", ChangeKind.RETIRED, MERGED_ON),
    ]
    # Their assignments stay, and stay theirs.
    readiness = Task.objects.get(scope=TaskScope.EVERY_DISTRICT_AND_WARD, due_on="2021-07-01")
    assert readiness.assignments.filter(ward__code="00250").exists()
    assert ward_import.state == WardImport.State.APPLIED
    assert ward_import.summary["counts"]["retired"] == 2


def test_successors_can_be_given_by_a_column_of_the_file(db, tmp_path):
    set_2020_state()
    rows = [[*r, ""] for r in plain_rows_2021()] + [
        ["007", "Hai Bà Trưng", "Quận", "00250", "Bùi Thị Xuân", "Phường", "00241"],
        ["007", "Hai Bà Trưng", "Quận", "00253", "Ngô Thì Nhậm", "Phường", "00241; 00247"],
    ]
    path = write_csv(tmp_path / "merge.csv", [*PLAIN_HEADER, "successor_codes"], rows)
    _, plan = import_file(path, effective_on=MERGED_ON)
    assert [(i["code"], i["successors"]) for i in plan.units.retired] == [
        ("00250", ["00241"]),
        ("00253", ["00241", "00247"]),
    ]
    assert sorted(w.code for w in Ward.objects.get(code="00253").successors.all()) == ["00241", "00247"]
    assert Ward.objects.get(code="00250").retired_on == MERGED_ON


def test_reimporting_the_same_file_changes_nothing(db, tmp_path):
    path = write_csv(tmp_path / "changed.csv", PLAIN_HEADER, _with_changes(plain_rows_2021()))
    import_file(path)
    before = snapshot("wards", "tasks")
    before.pop("wards.WardImport")
    _, plan = import_file(path)
    after = snapshot("wards", "tasks")
    after.pop("wards.WardImport")
    assert not plan.units.has_changes
    assert after == before


def _with_changes(rows):
    """Phúc Xá renamed, Trúc Bạch moved to Tây Hồ, a new phường in Cầu Giấy, Vĩnh Phúc gone."""
    out = []
    for r in rows:
        if r[3] == "00001":
            r = [*r[:4], "Phúc Xá Mới", r[5]]
        if r[3] == "00004":
            r = ["003", "Tây Hồ", "Quận", "00004", r[4], r[5]]
        if r[3] == "00006":
            continue
        out.append(r)
    return [*out, ["005", "Cầu Giấy", "Quận", "00170", "Cầu Giấy Mới", "Phường"]]


def test_new_renamed_moved_and_missing_wards_are_created_recorded_and_retired(db, tmp_path):
    path = write_csv(tmp_path / "changed.csv", PLAIN_HEADER, _with_changes(plain_rows_2021()))
    ward_import, plan = import_file(path)
    assert plan.counts() | {"unchanged": 0} == {
        "districts_created": 0,
        "districts_renamed": 0,
        "created": 1,
        "renamed": 1,
        "moved": 1,
        "restored": 0,
        "retired": 1,
        "unchanged": 0,
        "refused": 0,
        "out_of_scope": 0,
        "new_assignments": 2,  # the new phường gets both of Plan 100's "every ward" duties
    }
    assert Ward.objects.get(code="00001").name == "Phúc Xá Mới"
    assert Ward.objects.get(code="00004").district.code == "003"
    assert Ward.objects.get(code="00006").retired_on == ON
    new = Ward.objects.get(code="00170")
    assert (new.name, new.district.code, new.retired_on) == ("Cầu Giấy Mới", "005", None)
    assert Assignment.objects.filter(ward=new).count() == 2
    assert sorted(
        WardChange.objects.filter(ward_import=ward_import).values_list("ward__code", "kind", "old_value")
    ) == [
        ("00001", ChangeKind.RENAMED, "Phúc Xá"),
        ("00004", ChangeKind.MOVED, "Quận Ba Đình"),
        ("00006", ChangeKind.RETIRED, ""),
        ("00170", ChangeKind.CREATED, ""),
    ]


def test_the_preview_is_exactly_what_apply_then_does(db, tmp_path):
    path = write_csv(tmp_path / "changed.csv", PLAIN_HEADER, _with_changes(plain_rows_2021()))
    ward_import, preview = ward_list_stage(
        file_name=path.name, content=path.read_bytes(), province_code="01", effective_on=ON
    )
    assignments_before = Assignment.objects.count()
    assert Ward.objects.get(code="00001").name == "Phúc Xá"  # the preview wrote nothing
    applied = ward_list_apply(ward_import=ward_import)
    assert applied.summary() == preview.summary()
    assert Assignment.objects.count() - assignments_before == preview.new_assignments == 2
    assert WardChange.objects.filter(ward_import=ward_import).count() == 4


def test_apply_is_refused_when_the_database_changed_since_the_preview(db, tmp_path):
    path = write_csv(tmp_path / "changed.csv", PLAIN_HEADER, _with_changes(plain_rows_2021()))
    ward_import, _ = ward_list_stage(
        file_name=path.name, content=path.read_bytes(), province_code="01", effective_on=ON
    )
    Ward.objects.filter(code="00001").update(name="Phúc Xá Mới")
    before = snapshot("wards")
    with pytest.raises(ImportRefused, match="xem trước lại"):
        ward_list_apply(ward_import=ward_import)
    assert snapshot("wards") == before


def test_a_one_district_file_retires_nothing_in_other_districts(db, tmp_path):
    rows = [r for r in plain_rows_2021() if r[0] == "007" and r[3] != "00244"]
    _, plan = import_file(write_xlsx(tmp_path / "hai_ba_trung.xlsx", PLAIN_HEADER, rows))
    assert plan.units.covered_districts == ["007"]
    assert [i["code"] for i in plan.units.retired] == ["00244"]
    assert Ward.objects.active().count() == 174
    assert Ward.objects.active().exclude(district__code="007").count() == 175 - 18


def test_a_retired_ward_that_is_back_in_the_list_is_restored(db, tmp_path):
    _, plan = import_file(write_csv(tmp_path / "dvhc_2020-01.csv", PLAIN_HEADER, plain_rows_2020()))
    assert [i["code"] for i in plan.units.restored] == ["00250", "00253"]
    assert Ward.objects.get(code="00250").retired_on is None
    assert WardChange.objects.filter(kind=ChangeKind.RESTORED).count() == 2


def test_a_new_district_with_phuong_is_created_and_given_district_tasks(db, tmp_path):
    rows = [["016", "Mê Linh", "Quận", "09001", "Tiền Phong", "Phường"]]
    _, plan = import_file(write_csv(tmp_path / "me_linh.csv", PLAIN_HEADER, rows))
    assert plan.units.districts_created == [{"code": "016", "name": "Quận Mê Linh", "row": 2}]
    district = District.objects.get(code="016")
    assert district.full_name == "Quận Mê Linh"
    assert Assignment.objects.filter(district=district).count() == 2
    assert plan.new_assignments == 4


def test_the_whole_country_file_keeps_one_province_and_its_phuong(db, tmp_path):
    """A national-size export (10,604 rows): Hà Nội's 579 real rows among other provinces' rows."""
    hanoi = gso_sample_rows()
    others = []
    code = 20000
    while len(hanoi) + len(others) < 10_604:
        province = ["Thành phố Hồ Chí Minh", "79"] if len(others) % 2 else ["Tỉnh Hà Giang", "02"]
        level = "Phường" if len(others) % 3 == 0 else "Xã"
        others.append([*province, "Quận 1", "760", f"{level} Số {code}", str(code), level, ""])
        code += 1
    path = write_xlsx(tmp_path / "ca_nuoc.xlsx", GSO_HEADER, others[:5000] + hanoi + others[5000:])
    ward_list = read_ward_list(path.read_bytes(), province_code="01")
    assert len(ward_list.rows) == 175
    assert ward_list.out_of_scope == {"tỉnh, thành phố khác": 10_604 - 579, "xã": 383, "thị trấn": 21}
    assert not plan_import(ward_list, effective_on=ON).has_changes

    # --province chooses another province: Hồ Chí Minh's phường here, in a district new to the portal.
    ward_list = read_ward_list(path.read_bytes(), province_code="79")
    plan = plan_import(ward_list, effective_on=ON)
    assert plan.covered_districts == ["760"]
    assert len(plan.created) == len([r for r in others if r[1] == "79" and r[6] == "Phường"])
    assert not plan.retired


def test_the_import_command_reports_and_logs_the_import(db, tmp_path, capsys):
    path = write_csv(tmp_path / "changed.csv", PLAIN_HEADER, _with_changes(plain_rows_2021()))
    call_command("import_wards", str(path), "--effective-on", "2021-03-01")
    out = capsys.readouterr().out
    assert "wards created: 1" in out and "wards retired on 01/03/2021: 1" in out
    log = WardImport.objects.get()
    assert (log.file_name, log.uploaded_by, log.state) == ("changed.csv", None, WardImport.State.APPLIED)
    assert len(log.sha256) == 64


def test_wards_import_service_writes_nothing_when_a_row_is_refused(db, tmp_path):
    rows = [*plain_rows_2021(), ["005", "Cầu Giấy", "Quận", "0017X", "Sai Mã", "Phường"]]
    path = write_csv(tmp_path / "bad.csv", PLAIN_HEADER, rows)
    before = snapshot("wards")
    with pytest.raises(ImportRefused, match="1 dòng bị từ chối") as refused:
        ward_list_import(file_name=path.name, content=path.read_bytes(), province_code="01", effective_on=ON)
    assert refused.value.plan.refused == [(177, "Mã phường “0017X” không hợp lệ (cần 5 chữ số).")]
    assert snapshot("wards") == before


def test_a_refused_row_is_not_shown_as_a_retired_ward(db, tmp_path):
    rows = plain_rows_2021()
    rows[0][1] = "Ba Đình Khác"  # Phúc Xá's row names district 001 another way than the next rows
    rows[0], rows[1] = rows[1], rows[0]
    plan = plan_import(
        read_ward_list(write_csv(tmp_path / "x.csv", PLAIN_HEADER, rows).read_bytes(), province_code="01"),
        effective_on=ON,
    )
    assert [row for row, _ in plan.refused] == [3]
    assert plan.retired == []
