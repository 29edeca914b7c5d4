"""Journey: ward staff land on Việc của tôi and report; the reviewer sees a count and returns the report; the staff
see the notification and the reason, report again; the reviewer confirms; the staff are notified.

Saves screenshots of the new pages (Việc của tôi, Thông báo) at 1280 and 390 px under $SCREENSHOT_DIR when set.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from reporting.models import Role
from tests.browser.test_report_journey import person, sign_in
from wards.models import Ward


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shoot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.browser
def test_staff_report_reviewer_returns_staff_are_told_why_report_again_and_are_told_it_is_confirmed(
    live_server, browser_page
):
    try:
        journey(live_server, browser_page)
    finally:
        connections.close_all()


def journey(live_server, page):
    from tasks.models import Assignment

    call_command("seed", "--until", "2024-12-31", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    phuc_xa = Ward.objects.get(code="00001")
    person("phucxa", Role.UNIT_STAFF, ward=phuc_xa)
    person("vanphong", Role.REVIEWER)
    # Phúc Xá's readiness duty runs until next month; everything else of the ward is done.
    Assignment.objects.filter(ward=phuc_xa).update(completed_on=timezone.localdate(), percent=100)
    assignment = Assignment.objects.get(task__title__startswith="Sẵn sàng vận hành", ward=phuc_xa)
    due = timezone.localdate() + timedelta(days=5)
    Assignment.objects.filter(pk=assignment.pk).update(
        due_on=due, original_due_on=due, completed_on=None, percent=0
    )
    base = live_server.url

    sign_in(page, base, "phucxa")
    assert page.url == base + reverse("reporting:worklist")
    page.get_by_role("heading", name="Việc của tôi").wait_for()
    soon = page.locator("section", has=page.locator("#sap-den-han"))
    assert "Sẵn sàng vận hành" in soon.inner_text() and "còn 5 ngày" in soon.inner_text()
    shoot(page, "viec-cua-toi-staff")
    soon.get_by_role("link", name="Sẵn sàng vận hành").click()
    page.get_by_role("link", name="Báo cáo tiến độ").click()
    page.get_by_label("Tiến độ (%)").fill("60")
    page.get_by_label("Nội dung báo cáo").fill("Đã kiện toàn tổ chức bộ máy.")
    page.click("main button[type=submit]")
    page.get_by_text("Đã gửi báo cáo.").wait_for()

    sign_in(page, base, "vanphong")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    assert nav.get_by_role("link", name="Việc của tôi 1 việc đang chờ").is_visible()
    waiting = page.locator("section", has=page.locator("#cho-city"))
    assert "Phường Phúc Xá" in waiting.inner_text()
    shoot(page, "viec-cua-toi-reviewer")
    waiting.get_by_role("link", name="Sẵn sàng vận hành").click()
    page.get_by_label("Trả lại").check()
    page.get_by_label("Lý do, ý kiến").fill("Cần gửi kèm quyết định kiện toàn.")
    page.click("main button[type=submit]")
    page.get_by_text("Đã ghi kết quả xem xét báo cáo.").wait_for()

    sign_in(page, base, "phucxa")
    header = page.locator(".user-box")
    assert header.get_by_role("link", name="Thông báo 1 chưa đọc").is_visible()
    returned = page.locator("section", has=page.locator("#tra-lai"))
    assert "Cần gửi kèm quyết định kiện toàn." in returned.inner_text()
    header.get_by_role("link", name="Thông báo 1 chưa đọc").click()
    item = page.locator(".inbox-item", has_text="Báo cáo bị trả lại")
    assert "Cần gửi kèm quyết định kiện toàn." in item.inner_text()
    shoot(page, "thong-bao")
    item.get_by_role("link").click()
    page.wait_for_url(base + assignment.get_absolute_url())
    page.get_by_role("link", name="Báo cáo tiến độ").click()
    page.get_by_label("Tiến độ (%)").fill("100")
    page.get_by_label("Nội dung báo cáo").fill("Đã ban hành quyết định kiện toàn, gửi kèm.")
    page.click("main button[type=submit]")
    page.get_by_text("Đã gửi báo cáo.").wait_for()

    sign_in(page, base, "vanphong")
    page.locator("section", has=page.locator("#cho-city")).get_by_role(
        "link", name="Sẵn sàng vận hành"
    ).click()
    page.get_by_label("Xác nhận").check()
    page.click("main button[type=submit]")
    page.get_by_text("Đã ghi kết quả xem xét báo cáo.").wait_for()
    assert (
        page.get_by_role("navigation", name="Điều hướng chính")
        .get_by_role("link", name="Việc của tôi")
        .inner_text()
        .strip()
        == "Việc của tôi"
    )

    sign_in(page, base, "phucxa")
    page.locator(".user-box").get_by_role("link", name="Thông báo 1 chưa đọc").click()
    first = page.locator(".inbox-item").first
    assert "Báo cáo đã được xác nhận: Sẵn sàng vận hành" in first.inner_text()
    assert "unread" in first.get_attribute("class")


@pytest.mark.browser
def test_staff_ask_for_an_extension_with_their_letter_and_the_reviewer_grants_another_date(
    live_server, browser_page
):
    try:
        extension_journey(live_server, browser_page)
    finally:
        connections.close_all()


def extension_journey(live_server, page):
    from tasks.models import Assignment

    call_command("seed", "--until", "2024-12-31", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    phuc_xa = Ward.objects.get(code="00001")
    person("phucxa", Role.UNIT_STAFF, ward=phuc_xa)
    person("vanphong", Role.REVIEWER)
    assignment = Assignment.objects.get(task__title__startswith="Sẵn sàng vận hành", ward=phuc_xa)
    today = timezone.localdate()
    due = today + timedelta(days=5)
    Assignment.objects.filter(pk=assignment.pk).update(
        due_on=due, original_due_on=due, completed_on=None, percent=0
    )
    asked, granted = today + timedelta(days=60), today + timedelta(days=30)
    base = live_server.url

    sign_in(page, base, "phucxa")
    page.goto(base + reverse("reporting:extension_create", args=[assignment.pk]))
    page.get_by_label("Thời hạn đề nghị").fill(asked.isoformat())
    page.get_by_label("Lý do").fill("Chờ bàn giao trụ sở sau sắp xếp.")
    page.get_by_label("Số văn bản đề nghị").fill("45/TTr-UBND")
    page.get_by_label("Ngày văn bản đề nghị").fill(today.isoformat())
    shoot(page, "de-nghi-gia-han")
    page.click("main button[type=submit]")
    page.get_by_text("Đã gửi đề nghị gia hạn.").wait_for()
    page.goto(base + reverse("accounts:notification_settings"))
    shoot(page, "cai-dat-thong-bao")

    sign_in(page, base, "vanphong")
    waiting = page.locator("section", has=page.locator("#cho-extensions"))
    waiting.get_by_role("link", name="Sẵn sàng vận hành").click()
    assert "số 45/TTr-UBND ngày" in page.locator("main").inner_text()
    page.get_by_label("Đồng ý gia hạn").check()
    assert page.get_by_label("Thời hạn được chấp thuận").input_value() == asked.isoformat()
    page.get_by_label("Thời hạn được chấp thuận").fill(granted.isoformat())
    page.get_by_label("Số văn bản trả lời").fill("1234/VP-KSTTHC")
    shoot(page, "quyet-dinh-gia-han")
    page.click("main button[type=submit]")
    page.locator("#id_reason_error", has_text="Cần nêu lý do khi chấp thuận thời hạn khác").wait_for()
    shoot(page, "quyet-dinh-gia-han-loi")
    page.get_by_label("Ý kiến").fill("Đủ thời gian hoàn thành trong một tháng.")
    page.click("main button[type=submit]")
    page.get_by_text("Đã ghi quyết định gia hạn.").wait_for()

    sign_in(page, base, "phucxa")
    decisions = page.locator("section", has=page.locator("#gia-han")).inner_text()
    assert f"Đồng ý gia hạn đến {granted:%d/%m/%Y}" in decisions
    assert f"đơn vị đề nghị {asked:%d/%m/%Y}" in decisions and "số 1234/VP-KSTTHC" in decisions
    assert (
        f"thời hạn {granted:%d/%m/%Y}" in page.locator("section", has=page.locator("#con-lai")).inner_text()
    )
