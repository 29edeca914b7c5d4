"""Each bad file is refused with a message that names the problem, and the database is left exactly as it was."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.conftest import shared_data_path
from tests.wards.builders import (
    GSO_HEADER,
    PLAIN_HEADER,
    gso_sample_rows,
    plain_rows_2021,
    snapshot,
    write_csv,
    write_xlsx,
)


def empty(tmp_path):
    path = tmp_path / "empty.xls"
    path.write_bytes(b"")
    return path


def truncated_xls(tmp_path):
    path = tmp_path / "truncated.xls"
    path.write_bytes(shared_data_path("wards", "hanoi_2021-02_gso.xls").read_bytes()[:60_000])
    return path


def truncated_xlsx(tmp_path):
    whole = write_xlsx(tmp_path / "whole.xlsx", GSO_HEADER, gso_sample_rows()).read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def html_saved_as_xls(tmp_path):
    path = tmp_path / "danh_muc.xls"
    path.write_text(
        "<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>", encoding="utf-8"
    )
    return path


def header_only(tmp_path):
    return write_csv(tmp_path / "header.csv", PLAIN_HEADER, [])


def missing_column(tmp_path):
    header = [h for h in GSO_HEADER if h != "Mã PX"]
    rows = [[c for i, c in enumerate(r) if i != 5] for r in gso_sample_rows()]
    return write_xlsx(tmp_path / "no_ward_code.xlsx", header, rows)


def duplicate_code(tmp_path):
    rows = plain_rows_2021()
    return write_csv(
        tmp_path / "duplicate.csv", PLAIN_HEADER, [*rows, ["001", "Ba Đình", "Quận", "00004", "X", "Phường"]]
    )


def malformed_code(tmp_path):
    rows = plain_rows_2021()
    rows[9][3] = "0A019"
    return write_csv(tmp_path / "malformed.csv", PLAIN_HEADER, rows)


def district_named_two_ways(tmp_path):
    rows = plain_rows_2021()
    rows[20][1] = "Hoàn Kiếm Cũ"  # row 22 of the file: a ward of 002 under another name for the district
    return write_csv(tmp_path / "two_names.csv", PLAIN_HEADER, rows)


def unknown_level(tmp_path):
    rows = plain_rows_2021()
    rows[0][5] = "Khu phố"
    return write_csv(tmp_path / "level.csv", PLAIN_HEADER, rows)


def no_ward_of_the_province(tmp_path):
    rows = [r for r in gso_sample_rows() if r[6] != "Phường"]
    return write_xlsx(tmp_path / "only_xa.xlsx", GSO_HEADER, rows)


BAD_FILES = [
    (empty, "Tệp rỗng"),
    (truncated_xls, "tệp bị hỏng hoặc tải lên chưa hết"),
    (truncated_xlsx, "tệp bị hỏng hoặc tải lên chưa hết"),
    (html_saved_as_xls, "không phải bảng tính mà là một trang web"),
    (header_only, "không có dòng dữ liệu nào"),
    (missing_column, "Thiếu cột “Mã PX”"),
    (duplicate_code, "row 177: Mã phường 00004 trùng với dòng 3"),
    (malformed_code, "row 11: Mã phường “0A019” không hợp lệ"),
    (
        district_named_two_ways,
        "row 22: Mã quận 002 ở dòng 16 là “Quận Hoàn Kiếm”, ở dòng này lại là “Quận Hoàn Kiếm Cũ”",
    ),
    (unknown_level, "row 2: Cấp “Khu phố” không hợp lệ"),
    (no_ward_of_the_province, "không có phường, xã nào của tỉnh, thành phố mã 01"),
]


@pytest.mark.parametrize(("build", "message"), BAD_FILES, ids=[b.__name__ for b, _ in BAD_FILES])
def test_import_rejects_a_bad_file_with_a_clear_message_and_writes_nothing(db, tmp_path, build, message):
    path = build(tmp_path)
    before = snapshot("wards", "tasks")
    with pytest.raises(CommandError) as refused:
        call_command("import_wards", str(path))
    assert message in str(refused.value)
    assert "Nothing was written" in str(refused.value)
    assert snapshot("wards", "tasks") == before


def test_import_rejects_a_file_over_the_size_limit(db, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1_000_000
    path = tmp_path / "big.csv"
    write_csv(path, PLAIN_HEADER, plain_rows_2021() * 200)
    before = snapshot("wards")
    with pytest.raises(CommandError, match=r"Tệp quá lớn: .* MB, giới hạn 1.0 MB"):
        call_command("import_wards", str(path))
    assert snapshot("wards") == before


def test_dry_run_prints_the_summary_and_writes_nothing(db, tmp_path, capsys):
    rows = [r for r in plain_rows_2021() if r[3] != "00001"]
    path = write_csv(tmp_path / "without_phuc_xa.csv", PLAIN_HEADER, rows)
    before = snapshot("wards", "tasks")
    call_command("import_wards", str(path), "--dry-run", "--effective-on", "2021-06-01")
    out = capsys.readouterr().out
    assert "units ended on 01/06/2021: 1" in out and "ended 00001 Phúc Xá (Quận Ba Đình)" in out
    assert "Dry run: nothing was written." in out
    assert snapshot("wards", "tasks") == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--effective-on", "01/03/2021"], "--effective-on must be a date as YYYY-MM-DD"),
        (["--province", "1"], "--province must be a two-digit code"),
    ],
)
def test_the_command_refuses_bad_options(db, tmp_path, args, message):
    path = write_csv(tmp_path / "ok.csv", PLAIN_HEADER, plain_rows_2021())
    with pytest.raises(CommandError, match=message):
        call_command("import_wards", str(path), *args)


def test_a_missing_path_is_a_message_not_a_traceback(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_wards", str(tmp_path / "nowhere.xls"))


def test_the_command_exits_non_zero_without_a_traceback_on_a_bad_file(tmp_path):
    """Run as a shell would, on its own SQLite database (the refusal comes before any write)."""
    path = html_saved_as_xls(tmp_path)
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"}
    manage = Path(settings.BASE_DIR) / "manage.py"
    subprocess.run([sys.executable, str(manage), "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [sys.executable, str(manage), "import_wards", str(path)], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert (
        "danh_muc.xls: Tệp không phải bảng tính mà là một trang web (HTML). Nothing was written."
        in result.stderr
    )
