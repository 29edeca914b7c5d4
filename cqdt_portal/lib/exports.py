"""Exports to .xlsx and .csv that stream: rows are read in chunks and never all held in memory.

.xlsx is written by XlsxWriter in its constant-memory mode (each row goes straight to a temporary file, which is
then streamed): twice as fast as openpyxl's write-only mode, whose cell objects cost 0.1 ms each (bench/). A
spreadsheet is made to be read and printed by people: a title block (what it is, the filters in words, the as-of
day, when and by whom it was made, whether it holds illustrative deadlines), then the table under a frozen header,
set up to print on A4 landscape, one page wide, the header repeated on every page and the page numbers in the
footer. .csv is a plain table for machines: UTF-8 with a BOM so that Excel opens Vietnamese text correctly, the
same columns whatever the data.

A text cell that starts with = + - @ (or a tab/CR) is prefixed with an apostrophe so that a spreadsheet never
runs it as a formula: every cell written goes through `neutralise`, the title block and the header included.
"""

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from math import ceil

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from .vn import fold

EXPORT_FORMATS = ("xlsx", "csv")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000
# The widest a column gets, in characters: a long text wraps instead (a task's title runs to 300 characters).
MAX_WIDTH = 48
# Characters of Vietnamese text in a column one unit wide (a unit is the width of a "0"), and the points of one line
# of 11-point text: the height a wrapped cell needs.
CHARACTERS_PER_WIDTH = 1.1
ROW_HEIGHT = 15


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 16
    kind: str = "text"  # text | date | number
    wrap: bool = False  # long text: wrapped within the column's width rather than running on


@dataclass
class Sheet:
    """What a spreadsheet holds, for its title block and its file name."""

    title: str  # what it is, e.g. "Danh sách giao nhiệm vụ"
    name: str  # the file name without extension: what and when, in ASCII ("bao-cao-quy-3-2026")
    as_of: date
    filters: list[str] = field(default_factory=list)  # the filters in words, e.g. ["Tình trạng: quá hạn"]
    made_by: str = ""
    illustrative: int = 0  # how many rows carry a deadline the portal set for illustration
    made_at: datetime = field(default_factory=timezone.now)

    @property
    def lines(self) -> list[str]:
        made_at = timezone.localtime(self.made_at)
        lines = [
            self.title.upper(),
            "Điều kiện lọc: " + ("; ".join(self.filters) if self.filters else "không lọc (toàn bộ)"),
            f"Tình trạng tính đến ngày: {self.as_of:%d/%m/%Y}",
            f"Lập lúc {made_at:%H:%M} ngày {made_at:%d/%m/%Y}"
            + (f", người lập: {self.made_by}" if self.made_by else ""),
        ]
        if self.illustrative:
            lines.append(
                f"Có {self.illustrative} dòng mang thời hạn minh hoạ (nguồn công khai không nêu thời hạn; cổng "
                "đặt để minh hoạ, cần thay bằng thời hạn thật)."
            )
        else:
            lines.append("Không có thời hạn minh hoạ: mọi thời hạn lấy từ văn bản.")
        return lines


def ascii_name(*parts) -> str:
    """A file name in ASCII from Vietnamese words: ("Quý 3/2026",) → "quy-3-2026"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(" ".join(str(p) for p in parts))).strip("-")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_value(value, kind):
    if value is None:
        return ""
    if kind == "date" and isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return neutralise(value)


class _Echo:
    def write(self, value):
        return value


def csv_response(sheet: Sheet, columns: list[Column], rows: Iterable[tuple]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([neutralise(c.header) for c in columns])
        for row in rows:
            yield writer.writerow([_csv_value(v, c.kind) for v, c in zip(row, columns, strict=True)])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{sheet.name}.csv"'
    return response


def _print_setup(sheet, header_row: int, columns: list[Column], formats: list):
    """A4 landscape, one page wide and as many long as it takes, the header on every page, "Trang 1/3" below;
    the rows under the header scroll beneath it."""
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.repeat_rows(header_row)
    sheet.set_footer("&C&9Trang &P/&N")
    sheet.freeze_panes(header_row + 1, 0)
    for i, (column, cell_format) in enumerate(zip(columns, formats, strict=True)):
        sheet.set_column(i, i, min(column.width, MAX_WIDTH), cell_format)


def xlsx_response(sheet_info: Sheet, columns: list[Column], rows: Iterable[tuple]) -> FileResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it once streamed
    # Constant memory: each row goes to disk once the next begins. A string is never read as a formula, a link
    # or a number: it stays the text it was.
    import xlsxwriter  # loaded by an export, not by every process that starts Django (docs/benchmarks.md)

    workbook = xlsxwriter.Workbook(
        spool,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
         "strings_to_numbers": False, "default_date_format": "dd/mm/yyyy"},
    )  # fmt: skip
    workbook.set_properties({"title": sheet_info.title, "author": sheet_info.made_by or "CQĐT Portal"})
    sheet = workbook.add_worksheet(re.sub(r"[\\/?*\[\]:]", " ", sheet_info.title)[:31])
    lines = sheet_info.lines
    header_row = len(lines) + 1  # 0-based: the title block, an empty row, the header
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "line": workbook.add_format({"italic": True}),
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#DCE6F1", "border": 1, "border_color": "#808080", "text_wrap": True,
             "valign": "vcenter", "align": "center"}
        ),
        date: workbook.add_format({"num_format": "DD/MM/YYYY", "valign": "top"}),
        datetime: workbook.add_format({"num_format": "DD/MM/YYYY HH:MM", "valign": "top"}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "plain": workbook.add_format({"valign": "top"}),
    }  # fmt: skip
    column_formats = [formats["wrap"] if c.wrap else formats["plain"] for c in columns]
    _print_setup(sheet, header_row, columns, column_formats)
    sheet.write_string(0, 0, neutralise(lines[0]), formats["title"])
    for i, line in enumerate(lines[1:], start=1):
        sheet.write_string(i, 0, neutralise(line), formats["line"])
    # A header that wraps gets the height of its lines: a fixed row height would let it run over the rows below.
    lines_needed = max(-(-len(c.header) // max(min(c.width, MAX_WIDTH) - 1, 1)) for c in columns)
    sheet.set_row(header_row, 15 * lines_needed + 4)
    for i, column in enumerate(columns):
        sheet.write_string(header_row, i, neutralise(column.header), formats["header"])

    zone = timezone.get_current_timezone()
    kinds = [c.kind for c in columns]
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    row_number = header_row
    # A row as tall as its longest wrapped text: a spreadsheet that does not fit the rows itself (LibreOffice)
    # would otherwise print the lines of a long task over the rows below.
    wrapped = [(i, min(c.width, MAX_WIDTH) * CHARACTERS_PER_WIDTH) for i, c in enumerate(columns) if c.wrap]
    set_row = sheet.set_row
    for row_number, row in enumerate(rows, start=header_row + 1):  # noqa: B007 — the last row ends the filter
        lines = max((len(row[i]) / per_line for i, per_line in wrapped if isinstance(row[i], str)), default=0)
        if lines > 1:
            set_row(row_number, ROW_HEIGHT * ceil(lines))
        for i, value in enumerate(row):
            if value is None or value == "":
                continue
            if kinds[i] == "date" and isinstance(value, date):
                if isinstance(value, datetime):
                    write_datetime(
                        row_number, i, value.astimezone(zone).replace(tzinfo=None), formats[datetime]
                    )
                else:
                    write_datetime(row_number, i, value, formats[date])
            elif isinstance(value, str):
                write_string(row_number, i, neutralise(value), column_formats[i])
            else:
                write_number(row_number, i, value, column_formats[i])
    sheet.autofilter(header_row, 0, max(row_number, header_row + 1), len(columns) - 1)
    workbook.close()
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{sheet_info.name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_response(fmt: str, sheet: Sheet, columns: list[Column], rows: Iterable[tuple], empty=frozenset()):
    """The .xlsx or .csv of `rows`. `empty` holds the headers of columns with nothing in any row (the caller
    knows them from one query): the .xlsx leaves them out, since a printed page has no room for an empty column,
    while the .csv keeps them, since a machine reading it wants the same columns every time."""
    if fmt == "xlsx":
        if empty:
            keep = [i for i, c in enumerate(columns) if c.header not in empty]
            columns = [columns[i] for i in keep]
            rows = (tuple(row[i] for i in keep) for row in rows)
        return xlsx_response(sheet, columns, rows)
    return csv_response(sheet, columns, rows)
