"""Journeys of the chase and of setting up a user: the city office chases two wards and their staff receive it
(the mail and the timeline); an admin creates a ward user, finding the ward without diacritics, and is warned
about the missing role, then finds the units nobody can be mailed at."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from cqdt_portal.celery import app as celery_app
from reporting.models import Role
from tasks.models import Assignment
from tests.browser.conftest import login
from tests.conftest import make_user
from wards.models import Ward

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-rat-dai-2021"
TASK = "Sẵn sàng vận hành mô hình chính quyền đô thị từ 01/07/2021"


def person(username, role=None, **unit):
    user = make_user(username, role, **unit)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def eager_jobs(monkeypatch):
    # The live server runs in this process: the chase's mail jobs run as they are queued.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def test_the_city_office_chases_two_wards_and_their_staff_receive_it(seeded_live_server, page, eager_jobs):
    base = seeded_live_server.url
    phuc_xa, truc_bach = Ward.objects.get(code="00001"), Ward.objects.get(code="00004")
    reviewer = person("vanphong", Role.REVIEWER)
    staff = [
        person("phucxa", Role.UNIT_STAFF, ward=phuc_xa),
        person("trucbach", Role.UNIT_STAFF, ward=truc_bach),
    ]
    chased = [Assignment.objects.get(task__title=TASK, ward=ward) for ward in (phuc_xa, truc_bach)]

    login(page, base, "vanphong", PASSWORD)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đôn đốc").click()
    expect(page.get_by_role("heading", name="Đôn đốc đơn vị")).to_be_visible()
    page.get_by_label("Tìm nhiệm vụ, đơn vị").fill("san sang van hanh")
    page.get_by_role("button", name="Tìm").click()
    for assignment in chased:
        page.locator(f"#a{assignment.pk}").check()
    page.get_by_label("Lời nhắn").fill("Đề nghị báo cáo tiến độ trước ngày 05/12.")
    page.get_by_role("button", name="Gửi đôn đốc các nhiệm vụ đã chọn").click()
    expect(page.get_by_text("Đã đôn đốc 2 nhiệm vụ của 2 đơn vị; thư gửi tới 2 người.")).to_be_visible()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in staff)
    for message in mail.outbox:
        assert "Đề nghị báo cáo tiến độ trước ngày 05/12." in message.body and str(reviewer) in message.body

    page.context.clear_cookies()
    login(page, base, "phucxa", PASSWORD)
    page.goto(base + chased[0].get_absolute_url())
    event = page.locator(".event-chase")
    expect(event).to_contain_text("Đôn đốc")
    expect(event).to_contain_text(str(reviewer))
    expect(event).to_contain_text("Đề nghị báo cáo tiến độ trước ngày 05/12.")


def test_an_admin_creates_a_ward_user_and_is_warned_about_the_missing_role(seeded_live_server, page):
    base = seeded_live_server.url
    admin = User.objects.create_superuser("quantri", "quantri@example.test", PASSWORD)
    assert admin.is_superuser
    login(page, base, "quantri", PASSWORD)
    page.goto(f"{base}/quan-tri/accounts/user/add/")
    expect(page.get_by_role("heading", name="Thêm người dùng")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("canbophucxa")
    # The ward is picked near the top, found without diacritics.
    page.locator("#id_ward").locator("xpath=following-sibling::span[1]").click()
    page.locator(".select2-search__field").fill("Phuc Xa")
    page.get_by_role("option", name="Phúc Xá").click()
    page.locator("#id_email").fill("canbophucxa@example.test")
    page.locator("#id_password1").fill("Phuc-Xa-mat-khau-2026")
    page.locator("#id_password2").fill("Phuc-Xa-mat-khau-2026")
    page.locator("input[name=_save]").click()
    warning = page.locator(".messagelist .warning")
    expect(warning).to_contain_text("Tài khoản canbophucxa thuộc Phường Phúc Xá nhưng chưa có vai trò nào")
    assert User.objects.get(username="canbophucxa").ward.code == "00001"

    # The role, by its Vietnamese name; saved again, no warning.
    page.get_by_label("Cán bộ đơn vị (báo cáo)", exact=False).check()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".messagelist .warning")).to_have_count(0)

    # Nobody of Phường Trúc Bạch can be mailed: the admins' list names it.
    page.goto(f"{base}/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Đơn vị chưa có người nhận thư"
    ).click()
    expect(page.get_by_role("heading", name="Đơn vị chưa có người nhận thư")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Trúc Bạch")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
