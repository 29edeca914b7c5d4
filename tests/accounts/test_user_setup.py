"""Setting up a user in the admin: roles in Vietnamese, the unit first, one clear message for two units, a
warning when unit and roles do not fit; the admin in Vietnamese; forgotten passwords reset by e-mail."""

import re

from django.contrib.auth.models import Group
from django.core import mail

from accounts.models import User
from reporting.models import Role
from reporting.services import roles_ensure
from wards.models import District, Ward

ADD = "/quan-tri/accounts/user/add/"


def add_user(admin_client, **fields):
    data = {"username": "canbomoi", "usable_password": "false", "email": "canbomoi@example.test", **fields}
    return admin_client.post(ADD, data, follow=True)


def test_the_add_form_puts_the_unit_and_the_roles_in_vietnamese_near_the_top(admin_client):
    roles_ensure()
    html = admin_client.get(ADD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.index('name="ward"') < html.index('name="email"')
    assert "Cán bộ đơn vị (báo cáo) — Báo cáo tiến độ, đề nghị gia hạn" in html
    assert "unit_staff" not in re.sub(r'value="\d+"', "", html.split('name="groups"')[0][-2000:])
    # The admin's own words are Vietnamese even for a browser asking for English.
    assert "Thêm người dùng" in html and "Add user" not in html


def test_ward_search_ignores_diacritics(admin_client):
    found = admin_client.get(
        "/quan-tri/autocomplete/",
        {"term": "Phuc Xa", "app_label": "accounts", "model_name": "user", "field_name": "ward"},
    ).json()
    assert [r["text"] for r in found["results"]] == [str(Ward.objects.get(code="00001"))]


def test_two_units_give_one_clear_vietnamese_message_and_save_nothing(admin_client):
    ward, district = Ward.objects.get(code="00001"), District.objects.get(code="001")
    html = add_user(admin_client, ward=ward.pk, district=district.pk).content.decode()
    assert "Mỗi người dùng chỉ thuộc một đơn vị" in html
    assert "Constraint" not in html and "user_belongs_to_at_most_one_unit" not in html
    assert not User.objects.filter(username="canbomoi").exists()


def test_a_ward_user_without_a_role_is_saved_with_a_warning(admin_client):
    html = add_user(admin_client, ward=Ward.objects.get(code="00001").pk).content.decode()
    assert "Tài khoản canbomoi thuộc Phường Phúc Xá nhưng chưa có vai trò nào" in html
    assert User.objects.get(username="canbomoi").ward.code == "00001"


def test_a_unit_role_without_a_unit_is_saved_with_a_warning(admin_client):
    roles_ensure()
    html = add_user(admin_client, groups=[Group.objects.get(name=Role.UNIT_STAFF).pk]).content.decode()
    assert "có vai trò Cán bộ đơn vị (báo cáo) nhưng chưa thuộc đơn vị nào" in html


def test_a_ward_user_with_a_role_gets_no_warning(admin_client):
    roles_ensure()
    html = add_user(
        admin_client,
        ward=Ward.objects.get(code="00001").pk,
        groups=[Group.objects.get(name=Role.UNIT_STAFF).pk],
    ).content.decode()
    assert "chưa có vai trò" not in html and "chưa thuộc đơn vị" not in html
    assert User.objects.get(username="canbomoi").has_role(Role.UNIT_STAFF)


def test_the_login_page_names_the_agency_and_support_and_offers_a_reset(client, settings):
    html = client.get("/dang-nhap/").content.decode()
    assert settings.PORTAL_AGENCY in html and settings.PORTAL_SUPPORT_CONTACT in html
    assert 'href="/quen-mat-khau/"' in html and "Quên mật khẩu?" in html


def test_a_forgotten_password_is_reset_through_a_link_by_email(client, ward_staff):
    ward_staff.set_password("mat-khau-cu-123")
    ward_staff.save()
    response = client.post("/quen-mat-khau/", {"email": ward_staff.email}, follow=True)
    assert "Kiểm tra hộp thư" in response.content.decode()
    [message] = mail.outbox
    assert message.to == [ward_staff.email] and "Đặt lại mật khẩu" in message.subject
    link = re.search(r"http://testserver(/dat-lai-mat-khau/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Phuc-Xa-moi-2026", "new_password2": "Phuc-Xa-moi-2026"},
        follow=True,
    )
    assert "Đã đặt mật khẩu mới" in done.content.decode()
    ward_staff.refresh_from_db()
    assert ward_staff.check_password("Phuc-Xa-moi-2026")
    # Used once: the same link no longer works.
    assert "không còn dùng được" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db):
    response = client.post("/quen-mat-khau/", {"email": "khong-ai@example.test"}, follow=True)
    assert "Kiểm tra hộp thư" in response.content.decode() and mail.outbox == []


def test_the_admin_index_is_vietnamese_for_an_english_browser_too(admin_client):
    html = admin_client.get("/quan-tri/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    # Django's own words and those of the schedule (django-celery-beat), which ships no Vietnamese: the portal's
    # catalogue (locale/vi) gives them. Lockouts are the portal's own admin (accounts.LoginLockout), not axes'.
    for words in ("Bỏ qua, đến nội dung chính", "Tác vụ định kỳ", "Khoá đăng nhập"):
        assert words in html
    for words in ("Skip to main content", "Periodic tasks", "Access logs", "Access failures", "Add link"):
        assert words not in html
