"""Journey: ward staff report 60 % with a PDF, then 100 %; the reviewer confirms; the official sees it done on time.

Runs Debian's chromium through Playwright against pytest-django's live_server. live_server empties the database
after the test, so the test seeds its own (pytest-django runs such transactional tests after the others).
"""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from reporting.models import Role
from tests.conftest import PDF_BYTES, make_user
from wards.models import Ward

PASSWORD = "mat-khau-thu-nghiem-2021"


@pytest.fixture
def browser_page(browser):
    """A desktop page from the suite's one Playwright browser (tests/browser/conftest.py)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def person(username, role, **unit):
    user = make_user(username, role, **unit)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: reverse("login") not in url)


@pytest.mark.browser
def test_ward_reports_reviewer_confirms_official_sees_done_on_time(
    live_server, browser_page, tmp_path, settings
):
    try:
        journey(live_server, browser_page, tmp_path, settings)
    finally:
        # Under Playwright's event loop the test's database connection lives in its own context, which
        # pytest-django's teardown does not see; left open, PostgreSQL could not drop the test database.
        connections.close_all()


def journey(live_server, browser_page, tmp_path, settings):
    from tasks.models import Assignment

    call_command("seed", "--until", "2024-12-31", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.MEDIA_ROOT = tmp_path / "media"
    phuc_xa = Ward.objects.get(code="00001")
    person("phucxa", Role.UNIT_STAFF, ward=phuc_xa)
    person("vanphong", Role.REVIEWER)
    person("lanhdao", Role.CITY_OFFICIAL)
    # A duty still ahead of its deadline, so that finishing today is on time.
    assignment = Assignment.objects.get(task__title__startswith="Sẵn sàng vận hành", ward=phuc_xa)
    due = timezone.localdate() + timedelta(days=30)
    Assignment.objects.filter(pk=assignment.pk).update(due_on=due, original_due_on=due)
    pdf = tmp_path / "bien-ban-kien-toan.pdf"
    pdf.write_bytes(PDF_BYTES)
    page, base = browser_page, live_server.url

    sign_in(page, base, "phucxa")
    page.goto(base + assignment.get_absolute_url())
    page.get_by_role("link", name="Báo cáo tiến độ").click()
    page.get_by_label("Tiến độ (%)").fill("60")
    page.get_by_label("Nội dung báo cáo").fill("Đã kiện toàn tổ chức bộ máy.")
    page.get_by_label("Tài liệu kèm theo").set_input_files(str(pdf))
    page.click("main button[type=submit]")
    page.get_by_text("Đã gửi báo cáo.").wait_for()
    assert page.get_by_role("link", name="bien-ban-kien-toan.pdf").is_visible()

    page.get_by_role("link", name="Báo cáo tiến độ").click()
    page.get_by_label("Tiến độ (%)").fill("100")
    page.get_by_label("Nội dung báo cáo").fill("Đã sẵn sàng vận hành mô hình mới.")
    page.click("main button[type=submit]")
    page.get_by_text("Đã gửi báo cáo.").wait_for()

    sign_in(page, base, "vanphong")
    page.goto(base + reverse("reporting:review_queue"))
    boxes = page.locator("input[name=reports]")
    assert boxes.count() == 2
    for i in range(2):
        boxes.nth(i).check()
    page.get_by_role("button", name="Xác nhận các báo cáo đã chọn").click()
    page.get_by_text("Đã xác nhận 2 báo cáo.").wait_for()

    sign_in(page, base, "lanhdao")
    page.goto(base + phuc_xa.get_absolute_url())
    row = page.locator("tr", has_text="Sẵn sàng vận hành")
    assert "Hoàn thành đúng hạn" in row.inner_text()
    assert "100%" in row.inner_text()
    page.goto(base + reverse("tasks:district_board", args=["001"]))
    assert "Hoàn thành đúng hạn" in page.locator("tr", has_text="Phường Phúc Xá").inner_text()
