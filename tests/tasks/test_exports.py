"""Exports hold exactly the filtered rows, open in Excel as Vietnamese text with real dates, and never run formulas."""

import csv
import io
from datetime import date, datetime

import openpyxl
from django.urls import reverse

from tasks.models import Task

FILTER = {"district": "001", "status": "overdue", "as_of": "01/08/2021"}


def _download(client, name, fmt, params):
    response = client.get(reverse(name, args=[fmt]), params)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_xlsx_export_holds_the_filtered_rows_with_dates_and_a_frozen_header(
    db, client, city_official, reported
):
    client.force_login(city_official)
    page = client.get(reverse("tasks:assignment_list"), FILTER).context["page"]
    response, body = _download(client, "tasks:assignment_export", "xlsx", FILTER)
    assert response["Content-Disposition"].startswith('attachment; filename="giao-viec-20210801.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Văn bản", "Mục", "Nhiệm vụ"] and "Tình trạng" in header
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == page.paginator.count == 13
    due = rows[0][header.index("Thời hạn")]
    assert isinstance(due, datetime) and due.date() == date(2021, 7, 1)
    assert sheet.cell(row=2, column=header.index("Thời hạn") + 1).number_format == "DD/MM/YYYY"
    assert {r[header.index("Tình trạng")] for r in rows} == {"Chưa hoàn thành – quá hạn"}
    assert sheet.column_dimensions["C"].width == 60


def test_csv_export_is_utf8_with_bom_and_matches_the_page(db, client, city_official, reported):
    client.force_login(city_official)
    response, body = _download(client, "tasks:assignment_export", "csv", FILTER)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "Văn bản"
    assert len(rows) - 1 == 13
    units = {r[5] for r in rows[1:]}
    assert "Phường Vĩnh Phúc" in units and "Phường Phúc Xá" not in units
    assert rows[1][7] == "01/07/2021"  # dates read dd/mm/yyyy


def test_exports_neutralise_cells_that_look_like_formulas(db, client, city_official):
    Task.objects.filter(title__startswith="Tuyên truyền").update(title='=HYPERLINK("http://x","bấm")')
    client.force_login(city_official)
    _, body = _download(client, "tasks:assignment_export", "csv", {"lead": "so-tu-phap"})
    assert "'=HYPERLINK" in body.decode("utf-8-sig")
    _, body = _download(client, "tasks:assignment_export", "xlsx", {"lead": "so-tu-phap"})
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    cell = sheet.cell(row=2, column=3)
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_matrix_and_period_exports_open(db, client, city_official, reported):
    client.force_login(city_official)
    _, body = _download(
        client, "dashboards:ward_matrix_export", "xlsx", {"district": "001", "as_of": "01/08/2021"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet.max_row == 1 + 14
    assert sheet.cell(row=2, column=2).value == "Phường Phúc Xá"
    assert sheet.cell(row=2, column=4).value == "Hoàn thành đúng hạn"
    _, body = _download(
        client, "dashboards:period_report_export", "csv", {"kind": "month", "year": 2021, "number": 7}
    )
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[-1][0] == "Toàn thành phố"
    assert rows[-1][2:6] == ["2", "1", "188", str(379 - 188 - 3)]


def test_unknown_export_format_is_a_404(db, client, city_official):
    client.force_login(city_official)
    assert client.get(reverse("tasks:assignment_export", args=["pdf"])).status_code == 404
