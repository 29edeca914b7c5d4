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


def table(sheet):
    """The header and the rows of an exported sheet: the table starts at the row printed on every page."""
    header_row = int(sheet.print_title_rows.split(":")[0].lstrip("$"))
    header = [c.value for c in sheet[header_row]]
    return header_row, header, list(sheet.iter_rows(min_row=header_row + 1, values_only=True))


def test_xlsx_export_holds_the_filtered_rows_under_a_title_block_and_a_frozen_header(
    db, client, city_official, reported
):
    client.force_login(city_official)
    page = client.get(reverse("tasks:assignment_list"), FILTER).context["page"]
    response, body = _download(client, "tasks:assignment_export", "xlsx", FILTER)
    assert response["Content-Disposition"].startswith('attachment; filename="giao-viec-20210801.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    header_row, header, rows = table(sheet)
    block = [sheet.cell(row=r, column=1).value for r in range(1, header_row)]
    assert block[0] == "DANH SÁCH GIAO NHIỆM VỤ"
    assert "Quận, thị xã (kể cả các phường): Quận Ba Đình" in block[1]
    assert "Tình trạng: Chưa hoàn thành – quá hạn" in block[1]
    assert block[2] == "Tình trạng tính đến ngày: 01/08/2021"
    assert block[3].startswith("Lập lúc ") and block[3].endswith(f"người lập: {city_official}")
    assert "minh hoạ" in block[4]
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert header[:2] == ["Văn bản", "Nhiệm vụ"] and "Tình trạng" in header
    # The plan's tasks have no section numbers: no empty "Mục" column on the page.
    assert "Mục" not in header and all(any(r[i] not in (None, "") for r in rows) for i in range(len(header)))
    assert len(rows) == page.paginator.count == 13
    due = rows[0][header.index("Thời hạn")]
    assert isinstance(due, datetime) and due.date() == date(2021, 7, 1)
    assert sheet.cell(row=header_row + 1, column=header.index("Thời hạn") + 1).number_format == "DD/MM/YYYY"
    assert {r[header.index("Tình trạng")] for r in rows} == {"Chưa hoàn thành – quá hạn"}
    assert 46 <= sheet.column_dimensions["B"].width < 47  # 46 characters, with the cell padding Excel adds


def test_xlsx_export_prints_on_a4_landscape_one_page_wide_with_the_header_on_every_page(
    db, client, city_official, reported
):
    client.force_login(city_official)
    _, body = _download(client, "tasks:assignment_export", "xlsx", {})
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    header_row, header, rows = table(sheet)
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # One page wide (1 is the file format's default, which a writer may leave out), as many pages long as it takes.
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    assert sheet.auto_filter.ref == f"A{header_row}:{chr(64 + len(header))}{header_row + len(rows)}"
    # The wrapped header is as tall as its lines, so it does not run over the first row.
    assert sheet.row_dimensions[header_row].height >= 30
    assert sheet.cell(row=header_row, column=1).alignment.wrap_text
    widths = [sheet.column_dimensions[chr(65 + i)].width for i in range(len(header))]
    assert all(8 <= w <= 48 for w in widths)
    # A row whose task runs over several lines is as tall as they are, so that it prints over no other row.
    task = header.index("Nhiệm vụ")
    long_rows = [header_row + 1 + i for i, r in enumerate(rows) if len(r[task]) > 2 * 46 * 1.1]
    assert long_rows and all(sheet.row_dimensions[r].height >= 45 for r in long_rows)


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
    header_row, header, _rows = table(sheet)
    cell = sheet.cell(row=header_row + 1, column=header.index("Nhiệm vụ") + 1)
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_matrix_and_period_exports_open(db, client, city_official, reported):
    client.force_login(city_official)
    response, body = _download(
        client, "dashboards:ward_matrix_export", "xlsx", {"district": "001", "as_of": "01/08/2021"}
    )
    assert 'filename="ma-tran-phuong-quan-ba-dinh-20210801.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    header_row, header, rows = table(sheet)
    assert sheet.cell(row=1, column=1).value.startswith("MA TRẬN PHƯỜNG")
    assert len(rows) == 14
    assert rows[0][1] == "Phường Phúc Xá"
    assert rows[0][3] == "Hoàn thành đúng hạn"
    assert all(any(r[i] not in (None, "") for r in rows) for i in range(len(header)))
    _, body = _download(
        client, "dashboards:period_report_export", "csv", {"kind": "month", "year": 2021, "number": 7}
    )
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[-1][0] == "Toàn thành phố"
    assert rows[-1][2:6] == ["2", "1", "188", str(379 - 188 - 3)]


def test_period_export_is_named_for_its_period_in_ascii(db, client, city_official, reported):
    client.force_login(city_official)
    response, body = _download(
        client, "dashboards:period_report_export", "xlsx", {"kind": "quarter", "year": 2021, "number": 3}
    )
    assert 'filename="bao-cao-quy-3-2021.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    header_row, header, rows = table(sheet)
    assert sheet.cell(row=1, column=1).value == "BÁO CÁO TÌNH HÌNH THỰC HIỆN QUÝ 3/2021"
    assert "từ 15/06/2021 đến 14/09/2021" in sheet.cell(row=2, column=1).value
    assert sheet.cell(row=3, column=1).value == "Tình trạng tính đến ngày: 14/09/2021"
    assert rows[-1][0] == "Toàn thành phố"
    response, _ = _download(
        client, "dashboards:period_report_export", "csv", {"kind": "half", "year": 2021, "number": 1}
    )
    assert 'filename="bao-cao-6-thang-dau-nam-2021.csv"' in response["Content-Disposition"]


def test_csv_keeps_every_column_for_machines(db, client, city_official, reported):
    client.force_login(city_official)
    _, body = _download(client, "tasks:assignment_export", "csv", FILTER)
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header[:3] == ["Văn bản", "Mục", "Nhiệm vụ"] and len(header) == 14


def test_unknown_export_format_is_a_404(db, client, city_official):
    client.force_login(city_official)
    assert client.get(reverse("tasks:assignment_export", args=["pdf"])).status_code == 404
