"""Reads an uploaded table (legacy .xls, .xlsx or CSV as Excel saves it) into rows of text.

The format is told by the file's first bytes, not its name: the statistics office's site and people's mail
clients rename files freely, and an HTML error page saved as ".xls" must be refused as such. Parsing is left to
xlrd, openpyxl and the csv module; this module only picks one and turns its failures into a plain message.
"""

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Excel (BIFF in a compound document)
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx is a zip of XML parts
# A ward list or a plan's tasks is a few MB once unzipped (the national list: about 3 MB). A small .xlsx that
# unzips to far more is a zip bomb; zipfile never reads a member past its declared size, so the declared sizes
# bound what the parser can be made to read.
XLSX_MAX_UNZIPPED_BYTES = 100 * 1024 * 1024


class SpreadsheetError(Exception):
    """The file cannot be read as a table; the message says why, in words an admin can act on."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    header_row: int  # 1-based, as Excel numbers rows
    rows: list[tuple[int, list[str]]]  # (row number, cells) for each non-blank data row


def clean(value) -> str:
    """A cell as trimmed NFC text; whole numbers lose their ".0" (Excel stores typed codes as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ").strip()


def header_key(value: str) -> str:
    return " ".join(clean(value).casefold().split())


def _xls_rows(content: bytes) -> list[list]:
    # xlrd warns on stdout about these files' odd sizes (normal for the statistics office's exports).
    import xlrd  # loaded when a file is read, not by every process that starts Django (docs/benchmarks.md)

    book = xlrd.open_workbook(file_contents=content, logfile=io.StringIO(), on_demand=True)
    sheet = book.sheet_by_index(0)
    return [sheet.row_values(r) for r in range(sheet.nrows)]


def _xlsx_rows(content: bytes) -> list[list]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unzipped = sum(member.file_size for member in archive.infolist())
    if unzipped > XLSX_MAX_UNZIPPED_BYTES:
        raise SpreadsheetError(
            _("Tệp .xlsx giải nén ra %(size)d MB, vượt giới hạn %(limit)d MB: không đọc tệp này.")
            % {"size": unzipped // (1024 * 1024), "limit": XLSX_MAX_UNZIPPED_BYTES // (1024 * 1024)}
        )
    import openpyxl  # as xlrd above

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")  # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
    if b"\x00" in content[:2000]:
        raise SpreadsheetError(_("Tệp không phải bảng tính (có dữ liệu nhị phân)."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on a Vietnamese Windows saves "CSV" in the ANSI code page, which for Vietnamese is cp1258.
        return unicodedata.normalize("NFC", content.decode("cp1258", errors="replace"))


def _csv_rows(content: bytes) -> list[list]:
    text = _decode(content)
    head = [line for line in text.splitlines()[:20] if line.strip()]
    if head and head[0].lstrip().startswith("<"):
        raise SpreadsheetError(_("Tệp không phải bảng tính mà là một trang web (HTML)."))
    # The separator is the one the header and the first rows use most (Excel writes ";" where "," is the
    # decimal mark, as in Vietnamese settings, and a tab in "Unicode text").
    delimiter = max(["\t", ";", ","], key="\n".join(head).count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:  # a cell over csv.field_size_limit() (128 KB): no list has such a cell
        raise SpreadsheetError(
            _("Không đọc được tệp CSV: có ô dài quá %(limit)s ký tự hoặc dấu ngoặc kép không đóng.")
            % {"limit": f"{csv.field_size_limit():,}".replace(",", ".")}
        ) from e


def read_rows(content: bytes) -> list[list]:
    if not content.strip():
        raise SpreadsheetError(_("Tệp rỗng."))
    try:
        if content.startswith(OLE2_MAGIC):
            return _xls_rows(content)
        if content.startswith(ZIP_MAGIC):
            return _xlsx_rows(content)
    except SpreadsheetError:
        raise
    except Exception as e:
        # xlrd and openpyxl fail on a cut-off or damaged file with many exception types (struct.error,
        # CompDocError, BadZipFile, KeyError…); to an admin they all mean the same thing.
        raise SpreadsheetError(_("Không đọc được tệp: tệp bị hỏng hoặc tải lên chưa hết.")) from e
    return _csv_rows(content)


def read_table(content: bytes, *, max_bytes: int, known_headers: set[str]) -> Table:
    """The first sheet's header row (the first of the top 10 rows naming a known column) and its data rows."""
    if len(content) > max_bytes:
        raise SpreadsheetError(
            _("Tệp quá lớn: {size} MB, giới hạn {limit} MB.").format(
                size=round(len(content) / 1_000_000, 1), limit=round(max_bytes / 1_000_000, 1)
            )
        )
    raw = read_rows(content)
    rows = [[clean(v) for v in row] for row in raw]
    for number, row in enumerate(rows, start=1):
        if any("\x00" in cell for cell in row):
            # A NUL character is binary data, never text of a list; the database would refuse it too.
            raise SpreadsheetError(
                _("Dòng %(row)d có ký tự NUL (dữ liệu nhị phân): tệp không phải bảng tính đúng dạng.")
                % {"row": number}
            )
    for index, row in enumerate(rows[:10]):
        if any(header_key(cell) in known_headers for cell in row):
            data = [(n, cells) for n, cells in enumerate(rows[index + 1 :], start=index + 2) if any(cells)]
            if not data:
                raise SpreadsheetError(_("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."))
            return Table(header=row, header_row=index + 1, rows=data)
    if not any(any(row) for row in rows):
        raise SpreadsheetError(_("Tệp rỗng."))
    raise SpreadsheetError(_("Không tìm thấy dòng tiêu đề với các cột cần có trong 10 dòng đầu của tệp."))
