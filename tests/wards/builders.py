"""Hand-made ward lists for the import tests, built in tmp_path from the facts (never copies of ../shared)."""

import csv
import io
from pathlib import Path

import openpyxl
import xlrd
from django.apps import apps

from cqdt_portal.lib.reference_data import load
from tests.conftest import shared_data_path

GSO_HEADER = ["Tỉnh Thành Phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp", "Tên Tiếng Anh"]
PLAIN_HEADER = ["district_code", "district_name", "district_type", "ward_code", "ward_name", "ward_type"]
KIND_LABELS = {"quan": "Quận", "thi_xa": "Thị xã"}


def gso_sample_rows() -> list[list[str]]:
    """The data rows of the statistics office's real Hà Nội export (579 rows)."""
    content = shared_data_path("wards", "hanoi_2021-02_gso.xls").read_bytes()
    book = xlrd.open_workbook(file_contents=content, logfile=io.StringIO())
    sheet = book.sheet_by_index(0)
    return [sheet.row_values(r) for r in range(1, sheet.nrows)]


def plain_rows_2021() -> list[list[str]]:
    """Hà Nội's 175 phường of 2021, from the project's own reference data."""
    rows = []
    for d in load("wards/data/hanoi_units.json")["districts"]:
        for w in d["wards"]:
            rows.append([d["code"], d["name"], KIND_LABELS[d["kind"]], w["code"], w["name"], "Phường"])
    return rows


def plain_rows_2020() -> list[list[str]]:
    """The 177 phường of Resolution 97 (2019): the 2021 list plus Bùi Thị Xuân and Ngô Thì Nhậm (Hai Bà Trưng)."""
    rows = plain_rows_2021()
    extra = [
        ["007", "Hai Bà Trưng", "Quận", "00250", "Bùi Thị Xuân", "Phường"],
        ["007", "Hai Bà Trưng", "Quận", "00253", "Ngô Thì Nhậm", "Phường"],
    ]
    return sorted(rows + extra, key=lambda r: (r[0], r[3]))


def write_csv(path: Path, header, rows, *, encoding="utf-8", delimiter=",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header, rows) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def snapshot(*app_labels, skip=()) -> dict:
    """Every row of the given apps (but the models in `skip`), to show that a refused import wrote nothing."""
    rows = {}
    for app in app_labels:
        for model in apps.get_app_config(app).get_models():
            if model._meta.label not in skip:
                rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows
