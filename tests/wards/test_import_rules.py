"""What an import does: create, rename, move, retire (never delete), only within the districts the file covers."""

import datetime

import pytest
from django.core.management import call_command

from cqdt_portal.lib.staged_import import ImportRefused
from tasks.models import Assignment
from tasks.services import ward_list_apply, ward_list_import, ward_list_stage
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
from wards.imports import read_ward_list
from wards.models import ChangeKind, District, Relation, Ward, WardChange, WardImport
from wards.planning import plan_import

# After Plan 100 (12/04/2021), whose tasks every ward holds: a list cannot end a unit before it was given work.
ON = datetime.date(2021, 6, 1)
LOG = ("wards.WardImport",)  # a refused import still logs its upload


def import_file(path, *, effective_on=ON, province="01", successors=None, **staging):
    ward_import, _ = ward_list_stage(
        file_name=path.name,
        content=path.read_bytes(),
        province_code=province,
        effective_on=effective_on,
        **staging,
    )
    return ward_import, ward_list_apply(ward_import=ward_import, successors=successors)


def test_an_older_list_is_refused_and_changes_nothing(db, tmp_path):
    """The 2020 list (177 phường) after the 2021 one: history already says Bùi Thị Xuân and Ngô Thì Nhậm ended on
    29/02/2020, so neither their dates nor anyone's tasks may change."""
    path = write_csv(tmp_path / "dvhc_2020-01.csv", PLAIN_HEADER, plain_rows_2020())
    before = snapshot("wards", "tasks", skip=LOG)
    with pytest.raises(ImportRefused) as refused:
        ward_list_import(
            file_name=path.name, content=path.read_bytes(), province_code="01",
            effective_on=datetime.date(2020, 1, 1),
        )  # fmt: skip
    [(row, reason)] = refused.value.plan.refused
    assert row == 0 and "trước lần thay đổi địa bàn gần nhất đã ghi (01/03/2020)" in reason
    assert "Đính chính lịch sử" in reason
    assert snapshot("wards", "tasks", skip=LOG) == before
    assert list(Ward.objects.filter(code="00250").values_list("valid_to", flat=True)) == [
        datetime.date(2020, 2, 29)
    ]


def test_an_old_list_given_a_new_date_cannot_bring_back_ended_wards(db, tmp_path):
    path = write_csv(tmp_path / "dvhc_2020-01.csv", PLAIN_HEADER, plain_rows_2020())
    before = snapshot("wards", "tasks", skip=LOG)
    with pytest.raises(ImportRefused) as refused:
        ward_list_import(file_name=path.name, content=path.read_bytes(), province_code="01", effective_on=ON)
    reasons = [reason for _row, reason in refused.value.plan.refused]
    assert len(reasons) == 2
    assert reasons[0].startswith("Phường Bùi Thị Xuân (00250) đã thôi tồn tại từ 01/03/2020")
    assert "danh mục cũ" in reasons[0]
    assert snapshot("wards", "tasks", skip=LOG) == before
    # Nothing counts them again: no assignment of a ward gone since 01/03/2020 is overdue.
    assert not Assignment.objects.filter(ward__code__in=["00250", "00253"]).exists()


def test_a_historical_correction_is_accepted_only_when_asked_and_says_so(db, tmp_path):
    """The list of 01/01/2020 (177 phường) turns out to have had one more phường, recorded after the fact."""
    rows = [*plain_rows_2020(), ["005", "Cầu Giấy", "Quận", "00170", "Cầu Giấy Mới", "Phường"]]
    path = write_csv(tmp_path / "dinh_chinh.csv", PLAIN_HEADER, rows)
    early = datetime.date(2020, 1, 1)
    ward_import, plan = ward_list_stage(
        file_name=path.name, content=path.read_bytes(), province_code="01", effective_on=early
    )
    assert not plan.can_apply
    ward_import, plan = ward_list_stage(
        file_name=path.name,
        content=path.read_bytes(),
        province_code="01",
        effective_on=early,
        correction=True,
    )
    assert plan.can_apply and ward_import.correction and ward_import.summary["correction"]
    assert [i["code"] for i in plan.units.created] == ["00170"]
    ward_list_apply(ward_import=ward_import)
    new = Ward.objects.get(code="00170")
    assert (new.valid_from, new.valid_to, new.district.code) == (early, None, "005")
    # It existed when Plan 100 was given (12/04/2021), so it holds the plan's two "every ward" duties from then.
    assert sorted(new.assignments.values_list("given_on", flat=True)) == [datetime.date(2021, 4, 12)] * 2


def test_successors_given_by_a_column_of_the_file_are_recorded_and_receive_the_open_work(db, tmp_path):
    rows = [[*r, ""] for r in plain_rows_2021() if r[3] != "00006"] + [
        ["001", "Ba Đình", "Quận", "00006", "Vĩnh Phúc", "Phường", "00001; 00007"],
    ]
    path = write_csv(tmp_path / "merge.csv", [*PLAIN_HEADER, "successor_codes"], rows)
    ward_import, plan = import_file(path, legal_basis="Nghị quyết thử")
    assert [(i["code"], i["successors"]) for i in plan.units.retired] == [("00006", ["00001", "00007"])]
    vinh_phuc = Ward.objects.get(code="00006")
    assert (vinh_phuc.valid_to, vinh_phuc.ended_by) == (ON - datetime.timedelta(days=1), "Nghị quyết thử")
    successions = vinh_phuc.successions.order_by("successor__code")
    assert [(s.successor.code, s.relation, s.effective_on) for s in successions] == [
        ("00001", Relation.UNSPECIFIED, ON),
        ("00007", Relation.UNSPECIFIED, ON),
    ]
    # Its two duties, open on its last day, end there as handed over; the successors hold them, linked.
    handed = list(vinh_phuc.assignments.all())
    assert len(handed) == 2 and {a.ended_on for a in handed} == {ON - datetime.timedelta(days=1)}
    assert all(a.was_handed_over for a in handed)
    receivers = Assignment.objects.filter(handed_over_from__in=handed).distinct()
    assert sorted(receivers.values_list("ward__code", flat=True)) == ["00001", "00001", "00007", "00007"]
    assert plan.hand_overs == [
        {"code": "00006", "name": "Phường Vĩnh Phúc", "open": 2,
         "to": ["00001 · Phường Phúc Xá", "00007 · Phường Cống Vị"]},
    ]  # fmt: skip


def test_reimporting_the_same_file_changes_nothing(db, tmp_path):
    path = write_csv(tmp_path / "changed.csv", PLAIN_HEADER, _with_changes(plain_rows_2021()))
    import_file(path)
    before = snapshot("wards", "tasks", skip=LOG)
    _, plan = import_file(path)
    assert not plan.units.has_changes
    assert snapshot("wards", "tasks", skip=LOG) == before


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
        "districts_ended": 0,
        "created": 1,
        "renamed": 1,
        "moved": 1,
        "retired": 1,
        "successions": 0,
        "unchanged": 0,
        "refused": 0,
        "out_of_scope": 0,
        "new_assignments": 2,  # the new phường gets both of Plan 100's "every ward" duties
        "handed_over": 0,
        "awaiting_decision": 2,  # Vĩnh Phúc's two open duties: nobody is named to take them over
    }
    assert Ward.objects.get(code="00001").name == "Phúc Xá Mới"
    assert Ward.objects.get(code="00004").district.code == "003"
    assert Ward.objects.get(code="00006").valid_to == ON - datetime.timedelta(days=1)
    new = Ward.objects.get(code="00170")
    assert (new.name, new.district.code, new.valid_from, new.valid_to) == ("Cầu Giấy Mới", "005", ON, None)
    assert list(Assignment.objects.filter(ward=new).values_list("given_on", flat=True)) == [ON, ON]
    assert sorted(
        WardChange.objects.filter(ward_import=ward_import).values_list("ward__code", "kind", "old_value")
    ) == [
        ("00001", ChangeKind.RENAMED, "Phường Phúc Xá"),
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
    assert Ward.objects.current().count() == 174
    assert Ward.objects.current().exclude(district__code="007").count() == 175 - 18


def test_a_code_of_an_ended_ward_names_a_new_unit_and_the_old_one_keeps_its_history(db, tmp_path):
    """A later list gives Bùi Thị Xuân's old code (00250, ended 29/02/2020) to another phường."""
    rows = [*plain_rows_2021(), ["007", "Hai Bà Trưng", "Quận", "00250", "Thanh Nhàn Mới", "Phường"]]
    _, plan = import_file(write_csv(tmp_path / "moi.csv", PLAIN_HEADER, rows))
    assert [i["code"] for i in plan.units.created] == ["00250"]
    old, new = sorted(Ward.objects.filter(code="00250"), key=lambda w: w.valid_from or datetime.date.min)
    assert (old.name, old.valid_to) == ("Bùi Thị Xuân", datetime.date(2020, 2, 29))
    assert (new.name, new.valid_from, new.valid_to) == ("Thanh Nhàn Mới", ON, None)
    assert Ward.objects.existing_on(datetime.date(2020, 1, 1)).get(code="00250") == old
    assert Ward.objects.existing_on(ON).get(code="00250") == new


def test_a_list_cannot_end_a_unit_before_it_was_given_work(db, tmp_path):
    rows = [r for r in plain_rows_2021() if r[3] != "00006"]
    path = write_csv(tmp_path / "som.csv", PLAIN_HEADER, rows)
    before = snapshot("wards", "tasks", skip=LOG)
    with pytest.raises(ImportRefused) as refused:
        ward_list_import(
            file_name=path.name, content=path.read_bytes(), province_code="01",
            effective_on=datetime.date(2021, 3, 1),
        )  # fmt: skip
    assert [reason for _row, reason in refused.value.plan.refused] == [
        "Phường Vĩnh Phúc (00006) có 2 việc được giao từ 12/04/2021, sau ngày cuối cùng của đơn vị theo danh mục "
        "(28/02/2021): không thể cho đơn vị kết thúc trước khi được giao việc."
    ]
    assert snapshot("wards", "tasks", skip=LOG) == before


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
    call_command("import_wards", str(path), "--effective-on", "2021-06-01", "--legal-basis", "QĐ thử")
    out = capsys.readouterr().out
    assert "units created: 1" in out and "units ended on 01/06/2021: 1" in out
    assert "hand over 00006 Phường Vĩnh Phúc: 2 open -> awaiting decision" in out
    log = WardImport.objects.get()
    assert (log.file_name, log.uploaded_by, log.state) == ("changed.csv", None, WardImport.State.APPLIED)
    assert (log.legal_basis, Ward.objects.get(code="00006").ended_by) == ("QĐ thử", "QĐ thử")
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
