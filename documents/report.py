"""An administrative report (báo cáo) laid out as Nghị định 30/2020/NĐ-CP (Phụ lục I) sets, written as Word
(.docx, which offices edit before signing) by python-docx and as PDF by WeasyPrint from an HTML template.

The layout: A4 portrait, margins 20 mm top and bottom, 30 mm left, 20 mm right; Times New Roman (Liberation Serif,
metric-compatible, where it is not installed), 14 pt body; the head in two columns: on the left the body above
the issuing body (upper case), the issuing body (upper case, bold, a short rule below) and "Số: …/symbol"; on the
right the Quốc hiệu (upper case, bold), the tiêu ngữ (bold, a rule below) and "place, ngày … tháng … năm …"
(italic); then the kind of document (BÁO CÁO) and its subject, bold and centred; the body; at the foot, Nơi nhận
on the left and the signer's authority, title and name on the right. Page numbers at the top centre from page 2.

Nothing here knows what is reported: the caller gives headings, paragraphs and tables (`Report.blocks`).
"""

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .models import IssuingOffice

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FONT = "Times New Roman"
# The PDF's Times New Roman: Liberation Serif 2, metric-compatible, with every Vietnamese letter (README there).
FONT_FILES = "vendor/liberation-fonts-2.1.5"
FONT_STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less the 3 cm and 2 cm margins


@dataclass
class Heading:
    text: str


@dataclass
class Paragraph:
    text: str
    italic: bool = False


@dataclass
class Entry:
    """One entry of a long list ("1. … ; 2. …"), its text flush left: a thousand of them lay out twice as fast as
    the rows of a table (bench/documents.py), and read as well."""

    text: str


@dataclass
class Table:
    headers: list[str]
    rows: list[list]
    widths: list[float]  # in cm; scaled to the text width
    numeric: frozenset = frozenset()  # indexes of the columns aligned right
    total_last: bool = False  # the last row is a total, in bold


@dataclass
class Report:
    office: IssuingOffice
    subject: str
    day: date
    blocks: list = field(default_factory=list)
    kind: str = "BÁO CÁO"

    @property
    def place_and_date(self) -> str:
        # Days below 10 and months below 3 take a leading zero (Nghị định 30/2020, Phụ lục I, mục II.5).
        month = f"{self.day.month:02d}" if self.day.month < 3 else str(self.day.month)
        return f"{self.office.place}, ngày {self.day.day:02d} tháng {month} năm {self.day.year}"

    @property
    def number(self) -> str:
        return f"Số:        /{self.office.symbol}"


def _text(value) -> str:
    return "" if value is None else str(value)


# --- Word --------------------------------------------------------------------------------------------------------


def _run(paragraph, text, *, size=14, bold=False, italic=False, underline=False):
    run = paragraph.add_run(text)
    run.font.size, run.font.bold, run.font.italic, run.font.underline = Pt(size), bold, italic, underline
    return run


def _para(container, text="", *, size=14, bold=False, italic=False, align=None, space_after=0, indent=False):
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(space_after)
    if align is not None:
        paragraph.alignment = align
    if indent:
        fmt.first_line_indent = Cm(1)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _rule(paragraph):
    """A short rule under the line (the line under the issuing body and under the tiêu ngữ): a bottom border
    on the paragraph, narrowed by its indents."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.append(borders)


def _cell_text(cell, text, *, size=13, bold=False, italic=False, align=None):
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _page_numbers(section):
    """The page number at the top centre, from the second page (the first has none)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field_ = OxmlElement("w:fldSimple")
    field_.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field_.append(run)
    paragraph._p.append(field_)


def _widths(table, widths_cm: list[float], cells=True):
    """The columns' widths, in the table's grid (which LibreOffice reads) and, unless the caller sets them, in
    each cell (which Word reads)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        if cells:
            for cell in column.cells:
                cell.width = Cm(width)


def _head_docx(document, report):
    head = document.add_table(rows=1, cols=2)
    _widths(head, [6.3, 9.7])
    left, right = head.rows[0].cells
    office = report.office
    first = left.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if office.parent_body:
        _run(first, office.parent_body.upper(), size=12)
        first = left.add_paragraph()
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(first, office.body.upper(), size=13, bold=True)
    first.paragraph_format.left_indent = first.paragraph_format.right_indent = Cm(1.5)
    _rule(first)
    number = left.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.space_before = Pt(6)
    _run(number, report.number, size=13)

    _cell_text(right, NATIONAL_TITLE, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    motto = right.add_paragraph()
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto.paragraph_format.left_indent = motto.paragraph_format.right_indent = Cm(1.5)
    _run(motto, MOTTO, size=13, bold=True)
    _rule(motto)
    when = right.add_paragraph()
    when.alignment = WD_ALIGN_PARAGRAPH.CENTER
    when.paragraph_format.space_before = Pt(6)
    _run(when, report.place_and_date, size=14, italic=True)


def _table_docx(document, block: Table):
    scale = TEXT_WIDTH_CM / sum(block.widths)
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # The header row repeats on every page.
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    widths = [w * scale for w in block.widths]
    _widths(table, widths, cells=False)
    cells = table._cells  # computed once: a cell looked up by row and column walks the grid each time
    columns = len(block.headers)
    for i, header in enumerate(block.headers):
        cells[i].width = Cm(widths[i])
        _cell_text(cells[i], header, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    last = len(block.rows) - 1
    for r, row in enumerate(block.rows):
        bold = block.total_last and r == last
        for c, value in enumerate(row):
            cell = cells[(r + 1) * columns + c]
            cell.width = Cm(widths[c])
            align = WD_ALIGN_PARAGRAPH.RIGHT if c in block.numeric else None
            _cell_text(cell, _text(value), size=12, bold=bold, align=align)


def _foot_docx(document, report):
    foot = document.add_table(rows=1, cols=2)
    _widths(foot, [8, 8])
    # Nơi nhận and the signature stay together: a row split at the page's end would send the room left for the
    # signature to a page of its own.
    foot.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = foot.rows[0].cells
    _cell_text(left, "Nơi nhận:", size=12, bold=True, italic=True)
    for line in report.office.recipient_lines:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, f"- {line}", size=11)
    lines = report.office.signer_lines
    _cell_text(right, lines[0] if lines else "", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for line in lines[1:]:
        paragraph = right.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, line, size=14, bold=True)
    for _blank in range(4):  # room for the signature and the seal
        right.add_paragraph()
    name = right.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(name, report.office.signer_name or "", size=14, bold=True)


def to_docx(report: Report) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    document.core_properties.title = f"{report.kind} {report.subject}"
    document.core_properties.author = report.office.body
    _page_numbers(section)
    _head_docx(document, report)
    _para(document, space_after=6)
    _para(document, report.kind, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, report.subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    for block in report.blocks:
        if isinstance(block, Heading):
            _para(
                document, block.text, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6, indent=True
            )
        elif isinstance(block, Paragraph):
            _para(
                document, block.text, italic=block.italic, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6,
                indent=True,
            )  # fmt: skip
        elif isinstance(block, Entry):
            _para(document, block.text, size=13, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=3)
        else:
            _table_docx(document, block)
            _para(document, space_after=6)
    _para(document, space_after=6)
    _foot_docx(document, report)
    # A document ends with a paragraph: one a point high, so that it never pushes a blank page after the foot.
    tail = document.add_paragraph()
    tail.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    tail.paragraph_format.line_spacing = Pt(1)
    tail.paragraph_format.space_before = tail.paragraph_format.space_after = Pt(0)
    mark = OxmlElement("w:rPr")  # the paragraph mark: hidden, one point
    for name, value in (("w:vanish", None), ("w:sz", "2")):
        element = OxmlElement(name)
        if value:
            element.set(qn("w:val"), value)
        mark.append(element)
    tail._p.get_or_add_pPr().append(mark)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PDF ---------------------------------------------------------------------------------------------------------


def to_html(report: Report) -> str:
    blocks = []
    for block in report.blocks:
        if isinstance(block, Table):
            scale = 100 / sum(block.widths)
            blocks.append({
                "table": block,
                "widths": [round(w * scale, 2) for w in block.widths],
                "rows": [[(_text(v), i in block.numeric) for i, v in enumerate(row)] for row in block.rows],
            })  # fmt: skip
        else:
            kind = {Heading: "heading", Paragraph: "paragraph", Entry: "entry"}[type(block)]
            blocks.append({kind: block})
    fonts = {
        style: Path(finders.find(f"{FONT_FILES}/LiberationSerif-{style}.ttf")).as_uri()
        for style in FONT_STYLES
    }
    return render_to_string("documents/report.html", {"report": report, "blocks": blocks, "fonts": fonts})


def to_pdf(report: Report) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF needs.
    from weasyprint import HTML

    return HTML(string=to_html(report)).write_pdf()
