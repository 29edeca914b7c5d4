"""An official opens the dashboard, follows a district's overdue count to the list, opens the matrix and
downloads it as .xlsx."""

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_official_drills_down_from_dashboard_to_list_matrix_and_excel(seeded_live_server, page, tmp_path):
    official = make_user("lanhdao")
    official.set_password("mat-khau-rat-dai-2021")
    official.save()
    base = seeded_live_server.url
    login(page, base, "lanhdao", "mat-khau-rat-dai-2021")

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tổng hợp").click()
    expect(page.get_by_role("heading", name="Tổng hợp tình hình thực hiện")).to_be_visible()
    row = page.locator("#h-district + .table-wrap tr", has_text="Quận Ba Đình")
    # Nothing is reported in the seeded plan and every deadline has passed: all 30 of Ba Đình's are overdue.
    overdue = row.locator('td[data-label="Chưa hoàn thành – quá hạn"] a')
    expect(overdue).to_have_text("30")
    overdue.click()

    expect(page.get_by_role("heading", name="Danh sách việc được giao")).to_be_visible()
    assert "district=001" in page.url and "status=overdue" in page.url
    expect(page.get_by_text("Trang 1 / 1 (30 dòng)").or_(page.get_by_text("30 dòng")).first).to_be_visible()
    expect(page.locator(".data-table tbody tr")).to_have_count(30)

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Ma trận phường").click()
    page.get_by_label("Quận, thị xã").select_option(label="Quận Ba Đình")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", name="Ma trận phường: Quận Ba Đình")).to_be_visible()
    expect(page.locator("table.matrix tbody tr")).to_have_count(14)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    download = download_info.value
    # What and when, in ASCII: the district's matrix as of today.
    assert download.suggested_filename == f"ma-tran-phuong-quan-ba-dinh-{timezone.localdate():%Y%m%d}.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    header_row = int(sheet.print_title_rows.split(":")[0].lstrip("$"))  # the title block above it
    assert sheet.max_row == header_row + 14
    assert sheet.cell(row=header_row + 1, column=2).value == "Phường Phúc Xá"
