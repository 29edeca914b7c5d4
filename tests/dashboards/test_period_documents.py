"""The period report as an administrative report (Nghị định 30/2020/NĐ-CP), downloaded as Word and as PDF: each
part of the document, read back with python-docx and pypdf, for a 2021 period and for the current one."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from cqdt_portal.lib.periods import period_containing
from documents.models import IssuingOffice
from tasks.models import Assignment, Task

JULY_2021 = {"kind": "month", "year": 2021, "number": 7}


def _download(client, fmt, params):
    response = client.get(reverse("dashboards:period_report_export", args=[fmt]), params)
    assert response.status_code == 200
    return response


def docx_text(body: bytes) -> tuple[Document, str]:
    """The document and all its text: paragraphs, then every table's cells (the head and foot are tables)."""
    document = Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return document, "\n".join(parts)


def pdf_text(body: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(body))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def top_margin(page) -> str:
    """The text in the page's top margin (20 mm of an A4 page's 842 pt): where the page number goes."""
    found = []

    def visit(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text's position on the page
        if text.strip() and y > 842 - 57:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return " ".join(found)


def _flat(text: str) -> str:
    """One line of text: the PDF's lines joined (a line may end after the "/" of "09/2019/NĐ-CP")."""
    return re.sub(r"/ ", "/", " ".join(text.split()))


PARTS_OF_EVERY_REPORT = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "UBND THÀNH PHỐ HÀ NỘI",  # the body above the issuing body
    "SỞ NỘI VỤ",  # the issuing body
    "/BC-SNV",  # số, ký hiệu
    "BÁO CÁO",
    "Nghị định 09/2019/NĐ-CP",
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Chưa hoàn thành – trong hạn",
    "Chưa hoàn thành – quá hạn",
    "THEO ĐƠN VỊ CHỦ TRÌ",
    "NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN",
    "THỜI HẠN MINH HOẠ",
    "Nơi nhận:",
    "Lưu: VT.",
    "GIÁM ĐỐC",
]


def _today_line():
    today = timezone.localdate()
    month = f"{today.month:02d}" if today.month < 3 else str(today.month)
    return f"Hà Nội, ngày {today.day:02d} tháng {month} năm {today.year}"


def test_word_report_of_july_2021_has_every_part_of_an_administrative_report(
    db, client, city_official, reported
):
    client.force_login(city_official)
    response = _download(client, "docx", JULY_2021)
    assert 'filename="bao-cao-thang-7-2021.docx"' in response["Content-Disposition"]
    document, text = docx_text(response.content)
    for part in [*PARTS_OF_EVERY_REPORT, _today_line(), "Tháng 7/2021".lower(), "từ ngày 15/06/2021 đến ngày 14/07/2021",
                 "Số liệu tính đến hết ngày 14/07/2021", "Sở Tư pháp", "THEO QUẬN, THỊ XÃ", "Quận Ba Đình"]:  # fmt: skip
        assert part in text, part
    # The city-wide table: the counts of 14/07/2021 (tests/dashboards/test_read_pages.py counts them by hand).
    city = document.tables[1]
    assert [c.text for c in city.rows[1].cells] == ["Hoàn thành đúng hạn", "2", "0,5"]
    assert [c.text for c in city.rows[3].cells][:2] == ["Chưa hoàn thành – trong hạn", "188"]
    # A4 portrait, margins as the decree sets, Times New Roman 14 for the text.
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.left_margin.cm), round(section.right_margin.cm)) == (3, 2)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 14
    sizes = {run.font.size.pt for p in document.paragraphs for run in p.runs if run.font.size}
    assert sizes <= {13, 14} and sizes
    # Every table fits the text width (16 cm) and repeats its header row on every page.
    for table in document.tables[1:-1]:
        assert sum(c.width.cm for c in table.rows[0].cells) <= 16.01
        assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")


def test_overdue_assignments_are_listed_with_their_days_overdue(db, client, city_official, reported):
    client.force_login(city_official)
    _document, text = docx_text(_download(client, "docx", JULY_2021).content)
    # Phường Vĩnh Phúc reported 50 % of the readiness duty and nothing since: overdue on 14/07/2021.
    readiness = Task.objects.get(title__startswith="Sẵn sàng vận hành")
    due = Assignment.objects.get(task=readiness, ward__code="00006").due_on
    assert readiness.title in text and f"{due:%d/%m/%Y}" in text
    # Units overdue by the same number of days are listed together, the number after them.
    days = re.search(r"Phường Vĩnh Phúc[^()]*\((\d+)\)", text)
    assert days and int(days.group(1)) == (date(2021, 7, 14) - due).days
    assert "Phường Phúc Xá (" not in text  # done on time: not overdue


def test_illustrative_deadlines_are_marked_and_counted(db, client, city_official, reported):
    Task.objects.filter(title__startswith="Sẵn sàng vận hành").update(deadline_is_illustrative=True)
    client.force_login(city_official)
    _document, text = docx_text(_download(client, "docx", JULY_2021).content)
    assert "(*)" in text and "mang thời hạn minh hoạ" in text
    _reader, pdf = pdf_text(_download(client, "pdf", JULY_2021).content)
    assert "mang thời hạn minh hoạ" in _flat(pdf)


def test_pdf_report_of_july_2021_is_a4_in_times_with_every_part(db, client, city_official, reported):
    client.force_login(city_official)
    response = _download(client, "pdf", JULY_2021)
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="bao-cao-thang-7-2021.pdf"' in response["Content-Disposition"]
    reader, text = pdf_text(response.content)
    text = _flat(text)
    for part in [*PARTS_OF_EVERY_REPORT, _today_line(), "từ ngày 15/06/2021 đến ngày 14/07/2021", "Quận Ba Đình",
                 "Sở Tư pháp", "Phường Vĩnh Phúc"]:  # fmt: skip
        assert part in text, part
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # Times New Roman (the vendored Liberation Serif 2, with its metrics) for every letter: no fallback font for
    # Vietnamese letters with two marks, which a font without them would set apart ("TH Ờ I").
    assert fonts and all(name.startswith("Times-New-Roman") for name in fonts), fonts
    assert "THỜI ĐIỂM" in text and "CỘNG HÒA" in text
    # Page numbers in the top margin from the second page on, none on the first.
    assert len(reader.pages) > 1
    assert [top_margin(page) for page in reader.pages[:3]] == ["", "2", "3"]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_current_quarter_counts_as_of_today_on_todays_map(db, client, city_official, map_until, fmt):
    map_until("2025-07-01")  # no districts any more: the commune-level units under the city
    current = period_containing("quarter", timezone.localdate())
    params = {"kind": "quarter", "year": current.year, "number": current.number}
    client.force_login(city_official)
    response = _download(client, fmt, params)
    assert f'filename="bao-cao-quy-{current.number}-{current.year}.{fmt}"' in response["Content-Disposition"]
    text = _flat((docx_text if fmt == "docx" else pdf_text)(response.content)[1])
    today = timezone.localdate()
    assert f"Kỳ báo cáo chưa kết thúc: số liệu tính đến hết ngày {today:%d/%m/%Y}" in text
    assert "THEO PHƯỜNG, XÃ TRỰC THUỘC THÀNH PHỐ" in text and "THEO QUẬN, THỊ XÃ" not in text
    assert "Phường Hồng Hà" in text


def test_the_issuing_office_an_admin_sets_heads_and_signs_the_report(db, client, admin_user, city_official):
    client.force_login(admin_user)
    add = reverse("admin:documents_issuingoffice_add")
    page = client.get(add)
    assert page.status_code == 200 and "Cơ quan ban hành" in page.text and "Nơi nhận" in page.text
    response = client.post(add, {
        "parent_body": "", "body": "Văn phòng UBND thành phố", "symbol": "BC-VP", "place": "Hà Nội",
        "signer_title": "KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG", "signer_name": "",
        "recipients": "- Thường trực Thành ủy;\n- Lưu: VT, KSTT.",
    })  # fmt: skip
    assert response.status_code == 302
    assert client.get(add).status_code == 403  # one office: nothing more to add
    client.force_login(city_official)
    _document, text = docx_text(_download(client, "docx", JULY_2021).content)
    assert "VĂN PHÒNG UBND THÀNH PHỐ" in text and "/BC-VP" in text
    assert "KT. CHÁNH VĂN PHÒNG" in text and "PHÓ CHÁNH VĂN PHÒNG" in text
    assert "- Thường trực Thành ủy;" in text and "SỞ NỘI VỤ" not in text
    pdf = _flat(pdf_text(_download(client, "pdf", JULY_2021).content)[1])
    assert "VĂN PHÒNG UBND THÀNH PHỐ" in pdf and "UBND THÀNH PHỐ HÀ NỘI" not in pdf
    assert IssuingOffice.current().body == "Văn phòng UBND thành phố"


def test_documents_need_a_signed_in_user_and_a_known_format(db, client, city_official):
    response = client.get(reverse("dashboards:period_report_export", args=["pdf"]), JULY_2021)
    assert response.status_code == 302 and "application/pdf" not in response.get("Content-Type", "")
    client.force_login(city_official)
    assert client.get(reverse("dashboards:period_report_export", args=["odt"]), JULY_2021).status_code == 404
