"""Printing a page from the browser (Chromium's print to PDF, read back with pypdf): the content only, the as-of day
and the filters in words at the top, nothing cut off at the edge of an A4 page."""

import io

import pytest
from pypdf import PdfReader

from tests.browser.conftest import login
from tests.conftest import make_user

pytestmark = pytest.mark.browser

# An A4 page less the print margins (static/css/portal.css: 12 mm each side), in CSS pixels.
PORTRAIT_WIDTH, LANDSCAPE_WIDTH = round((210 - 24) / 25.4 * 96), round((297 - 24) / 25.4 * 96)


def _printed(page, url) -> tuple[PdfReader, str]:
    page.goto(url)
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    # Without spaces: a letter the page's font lacks comes from another font, which the extractor sets apart.
    return reader, "".join("".join(p.extract_text() for p in reader.pages).split())


def has(text: str, part: str) -> bool:
    return "".join(part.split()) in text


def _fits(page, url, width) -> bool:
    """Laid out for print at the page's printable width, nothing runs past the right edge."""
    page.set_viewport_size({"width": width, "height": 1000})
    page.emulate_media(media="print")
    page.goto(url)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    page.emulate_media(media="null")  # back to the browser's own: print when printing
    return overflow <= width


def test_printed_pages_show_the_content_the_day_and_the_filters(seeded_live_server, browser):
    official = make_user("lanhdao")
    official.set_password("mat-khau-rat-dai-2021")
    official.save()
    base = seeded_live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    login(page, base, "lanhdao", "mat-khau-rat-dai-2021")

    matrix = f"{base}/ma-tran-phuong/?district=001&as_of=01/08/2021"
    reader, text = _printed(page, matrix)
    assert has(text, "Số liệu tính đến ngày 01/08/2021. Điều kiện lọc: Địa bàn: Quận Ba Đình.")
    assert has(text, "Phúc Xá")
    # No navigation, no filter form, no download links on paper.
    for screen_only in ("Danh sách việc", "Đăng xuất", "Tải về", "Toàn thành phố Quận"):
        assert not has(text, screen_only), screen_only
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # the matrix prints landscape
    assert _fits(page, matrix, LANDSCAPE_WIDTH)

    listing = f"{base}/giao-viec/?district=001&status=overdue&as_of=01/08/2021"
    _reader, text = _printed(page, listing)
    assert has(text, "Số liệu tính đến ngày 01/08/2021.")
    assert has(text, "Tình trạng: Chưa hoàn thành – quá hạn") and has(text, "Quận Ba Đình")
    assert not has(text, "Bộ lọc") and not has(text, "Lọc danh sách")
    assert _fits(page, listing, PORTRAIT_WIDTH)

    report = f"{base}/bao-cao-ky/?kind=month&year=2021&number=7"
    reader, text = _printed(page, report)
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842  # A4 portrait
    assert has(text, "Kỳ báo cáo: Tháng 7/2021, từ 15/06/2021 đến 14/07/2021")
    # The four status boxes whole, none cut off ("Chưa hoàn thành – trong h…").
    for label in ("Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Chưa hoàn thành – trong hạn",
                  "Chưa hoàn thành – quá hạn"):  # fmt: skip
        assert has(text, label), label
    assert not has(text, "Xem báo cáo")
    assert _fits(page, report, PORTRAIT_WIDTH)
    assert _fits(page, f"{base}/tong-hop/", PORTRAIT_WIDTH)
    context.close()
