"""The statistics office's export is read as its site gives it (.xls), and as .xlsx or CSV as Excel saves it."""

import datetime

import pytest

from tasks.imports import ward_list_effects
from tests.conftest import shared_data_path
from tests.wards.builders import (
    GSO_HEADER,
    PLAIN_HEADER,
    gso_sample_rows,
    plain_rows_2021,
    write_csv,
    write_xlsx,
)
from wards.imports import read_ward_list
from wards.planning import plan_import

ON = datetime.date(2021, 3, 1)


def plan_for(path, province="01"):
    """What importing the file does, to the units and (through the tasks side) to the assignments."""
    units = plan_import(read_ward_list(path.read_bytes(), province_code=province), effective_on=ON)
    return ward_list_effects(units)


def assert_matches_the_seeded_2021_list(plan):
    assert plan.counts() | {"out_of_scope": 0} == {
        "districts_created": 0,
        "districts_renamed": 0,
        "districts_ended": 0,
        "created": 0,
        "renamed": 0,
        "moved": 0,
        "retired": 0,
        "successions": 0,
        "unchanged": 175,
        "refused": 0,
        "out_of_scope": 0,
        "new_assignments": 0,
        "handed_over": 0,
        "awaiting_decision": 0,
    }


def test_the_statistics_offices_xls_export_matches_the_175_phuong(db):
    path = shared_data_path("wards", "hanoi_2021-02_gso.xls")
    ward_list = read_ward_list(path.read_bytes(), province_code="01")
    assert ward_list.layout == "gso"
    assert len(ward_list.rows) == 175
    # Names lose their prefix; the district's kind comes from it.
    phuc_xa = next(r for r in ward_list.rows if r.ward_code == "00001")
    assert (phuc_xa.ward_name, phuc_xa.district_name, phuc_xa.district_kind) == ("Phúc Xá", "Ba Đình", "quan")
    son_tay = next(r for r in ward_list.rows if r.district_code == "269")
    assert (son_tay.district_name, son_tay.district_kind) == ("Sơn Tây", "thi_xa")
    assert ward_list.out_of_scope == {"xã": 383, "thị trấn": 21}
    units = plan_import(ward_list, effective_on=ON)
    plan = ward_list_effects(units)
    assert_matches_the_seeded_2021_list(plan)
    assert plan.counts()["out_of_scope"] == 404


def test_the_projects_plain_csv_matches_the_175_phuong(db):
    plan = plan_for(shared_data_path("wards", "hanoi_wards_2021.csv"))
    assert_matches_the_seeded_2021_list(plan)


def test_the_gso_export_saved_as_xlsx_reads_the_same(db, tmp_path):
    path = write_xlsx(tmp_path / "hanoi.xlsx", GSO_HEADER, gso_sample_rows())
    plan = plan_for(path)
    assert_matches_the_seeded_2021_list(plan)
    assert plan.counts()["out_of_scope"] == 404


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("utf-8-sig", ";"), ("utf-8", ";"), ("utf-16", "\t")],
    ids=["utf8-comma", "utf8-bom-comma", "utf8-bom-semicolon", "utf8-semicolon", "utf16-unicode-text"],
)
def test_csv_as_excel_saves_it_reads_the_same(db, tmp_path, encoding, delimiter):
    path = write_csv(
        tmp_path / "hanoi.csv", GSO_HEADER, gso_sample_rows(), encoding=encoding, delimiter=delimiter
    )
    assert_matches_the_seeded_2021_list(plan_for(path))


def test_codes_that_excel_saved_as_numbers_get_their_leading_zeros_back(db, tmp_path):
    rows = [[int(r[0]), r[1], r[2], int(r[3]), r[4], r[5]] for r in plain_rows_2021()]
    path = write_xlsx(tmp_path / "numbers.xlsx", PLAIN_HEADER, rows)
    assert_matches_the_seeded_2021_list(plan_for(path))
    stripped = [[r[0].lstrip("0"), r[1], r[2], r[3].lstrip("0"), r[4], r[5]] for r in plain_rows_2021()]
    assert_matches_the_seeded_2021_list(
        plan_for(write_csv(tmp_path / "stripped.csv", PLAIN_HEADER, stripped))
    )


def test_a_title_row_above_the_header_is_skipped(db, tmp_path):
    path = tmp_path / "titled.csv"
    write_csv(path, ["DANH MỤC ĐƠN VỊ HÀNH CHÍNH"], [GSO_HEADER, *gso_sample_rows()])
    assert_matches_the_seeded_2021_list(plan_for(path))
