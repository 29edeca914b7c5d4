"""Journey: an admin uploads the statistics office's .xls, reads the preview, confirms, and sees the ward list."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from tests.conftest import shared_data_path
from wards.models import Ward, WardImport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_imports_the_statistics_offices_xls_and_sees_the_ward_list(live_server, browser):
    call_command(
        "seed", "--until", "2024-12-31", stdout=io.StringIO()
    )  # live_server's database is flushed between tests
    User.objects.create_superuser("quantri", "quantri@example.test", "mat-khau-quan-tri-2021")
    Ward.objects.filter(code="00001").update(name="Phúc Xá Cũ")  # the file will rename it back
    xls = shared_data_path("wards", "hanoi_2021-02_gso.xls")

    page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/quan-tri/login/")
    page.fill("#id_username", "quantri")
    page.fill("#id_password", "mat-khau-quan-tri-2021")
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/quan-tri/wards/ward/")
    page.get_by_role("link", name="Nhập danh mục từ tệp").click()
    page.set_input_files("#id_file", str(xls))
    page.fill("#id_effective_on", "2021-03-01")
    page.get_by_role("button", name="Tải lên và xem trước").click()

    expect(page.get_by_role("heading", name="Xem trước: hanoi_2021-02_gso.xls")).to_be_visible()
    counts = page.locator(".import-counts")
    expect(counts).to_contain_text("174 phường giữ nguyên")
    expect(counts).to_contain_text("1 phường đổi tên")
    expect(counts).to_contain_text("404 dòng ngoài phạm vi")
    expect(page.locator("#updated")).to_contain_text("Phúc Xá Cũ")
    assert Ward.objects.get(code="00001").name == "Phúc Xá Cũ"  # nothing written yet

    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã nhập danh mục hanoi_2021-02_gso.xls")
    page.fill("#searchbar", "00001")
    page.keyboard.press("Enter")
    expect(page.locator("#result_list")).to_contain_text("Phúc Xá")
    expect(page.locator("#result_list")).not_to_contain_text("Phúc Xá Cũ")
    assert Ward.objects.get(code="00001").name == "Phúc Xá"
    assert WardImport.objects.get().state == WardImport.State.APPLIED
