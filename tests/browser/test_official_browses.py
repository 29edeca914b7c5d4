"""An official signs in and reads how the plan stands: home, a document and its chain, a district's wards."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_official_signs_in_and_reads_home_document_and_ward_pages(seeded_live_server, page):
    official = make_user("lanhdao")
    official.set_password("mat-khau-rat-dai-2021")
    official.save()
    base = seeded_live_server.url

    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/dang-nhap/?next=/")
    login(page, base, "lanhdao", "mat-khau-rat-dai-2021")
    expect(page.get_by_role("heading", name="Tình hình thực hiện")).to_be_visible()
    expect(page.get_by_text("Chưa hoàn thành – quá hạn").first).to_be_visible()
    expect(page.locator(".count-card").first).to_contain_text("của 379")

    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("link", name="Văn bản").click()
    page.get_by_role("link", name="100/KH-UBND", exact=True).click()
    expect(page.get_by_role("heading", name="Kế hoạch 100/KH-UBND")).to_be_visible()
    chain = page.locator("ol.chain")
    expect(chain).to_contain_text("Nghị quyết 97/2019/QH14")
    expect(chain).to_contain_text("Nghị định 32/2021/NĐ-CP")
    expect(
        page.get_by_role("link", name="Sẵn sàng vận hành mô hình chính quyền đô thị từ 01/07/2021")
    ).to_be_visible()

    nav.get_by_role("link", name="Địa bàn").click()
    page.get_by_role("link", name="Quận Hai Bà Trưng").click()
    expect(page.locator("p.lead")).to_contain_text("18 phường")
    expect(page.get_by_role("link", name="Phường Bùi Thị Xuân")).to_be_visible()
    page.get_by_role("link", name="Phường Nguyễn Du").first.click()
    expect(page.get_by_role("heading", name="Phường Nguyễn Du")).to_be_visible()
    expect(page.get_by_text("Sẵn sàng vận hành").first).to_be_visible()
    # Nothing wider than the screen: a ward officer reads this on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
