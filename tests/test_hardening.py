"""Hardening: request size limits before anything is spooled, password change for every user, `make serve`
refusing on deploy warnings, one-line 403 logs, no-store on signed-in pages, Vietnamese error pages (DEBUG off)."""

import logging
import os
import subprocess
import sys

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client
from django.urls import reverse

from reporting.models import ProgressUpdate
from tests.conftest import PDF_BYTES, db_state, upload

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "mat-khau-rat-dai-2021"


class NoSpooling(FileUploadHandler):
    """Fails the request if any uploaded byte is read: a refused request must not reach the upload handlers."""

    def new_file(self, *args, **kwargs):
        raise AssertionError("an upload was spooled")

    def receive_data_chunk(self, raw_data, start):
        raise AssertionError("an upload was spooled")

    def file_complete(self, file_size):
        raise AssertionError("an upload was spooled")


@pytest.fixture
def no_spooling(settings):
    settings.FILE_UPLOAD_HANDLERS = ["tests.test_hardening.NoSpooling"]


def test_an_anonymous_large_upload_is_refused_before_the_csrf_check_reads_it(
    db, no_spooling, ward_assignment
):
    client = Client(enforce_csrf_checks=True, raise_request_exception=True)
    body = {"evidence": upload("to.pdf", PDF_BYTES + b"0" * 100_000), "percent": "1"}
    response = client.post(reverse("reporting:progress_create", args=[ward_assignment.pk]), body)
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()
    declared = client.post(
        reverse("login"), b"x", content_type="application/octet-stream", CONTENT_LENGTH=str(300 * 1024 * 1024)
    )
    assert declared.status_code == 413


def test_a_signed_in_request_over_the_limit_is_refused_with_a_vietnamese_message_and_writes_nothing(
    client, ward_staff, ward_assignment, no_spooling, settings
):
    client.force_login(ward_staff)
    before = db_state(ward_assignment)
    response = client.post(
        reverse("reporting:progress_create", args=[ward_assignment.pk]), b"x",
        content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
    )  # fmt: skip
    assert response.status_code == 413
    page = response.content.decode()
    assert "Dữ liệu gửi lên quá lớn" in page and "chưa có gì được lưu" in page
    assert db_state(ward_assignment) == before


def test_a_report_with_files_within_the_limits_still_goes_through(client, ward_staff, ward_assignment):
    client.force_login(ward_staff)
    response = client.post(
        reverse("reporting:progress_create", args=[ward_assignment.pk]),
        {"percent": "20", "note": "Kèm tệp.", "version": "0", "evidence": [upload("a.pdf", PDF_BYTES)]},
    )
    assert response.status_code == 302 and ProgressUpdate.objects.get().evidence.count() == 1


@pytest.mark.parametrize("persona", ["ward_staff", "city_official", "reviewer", "unit_head"])
def test_every_user_changes_their_own_password(db, client, request, persona):
    user = request.getfixturevalue(persona)
    user.set_password(PASSWORD)
    user.save()
    client.force_login(user)
    home = client.get(reverse("dashboards:home")).content.decode()
    assert reverse("accounts:password_change") in home
    wrong = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "khong-dung",
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
    )
    assert wrong.status_code == 200 and "Chưa lưu được" in wrong.content.decode()
    weak = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200 and "Chưa lưu được" in weak.content.decode()
    done = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
        follow=True,
    )
    assert "Đã đổi mật khẩu" in done.content.decode()
    assert client.get(reverse("dashboards:home")).status_code == 200  # still signed in
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2026") and not user.check_password(PASSWORD)


def test_make_serve_refuses_to_start_on_a_deploy_warning(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(SECRET_KEY="weak", ALLOWED_HOSTS="cqdt.hanoi.gov.vn", STATIC_ROOT=str(tmp_path / "static"))
    result = subprocess.run(
        ["make", "-o", "install", "serve", "HOST=127.0.0.1:0"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "security.W009" in output  # the weak SECRET_KEY
    # make echoes each command before it runs it: nothing after the check ran.
    assert "manage.py migrate" not in output and "gunicorn" not in output


def test_a_refused_request_is_logged_in_one_line(client, city_official, ward_assignment, caplog):
    client.force_login(city_official)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(
            reverse("reporting:progress_create", args=[ward_assignment.pk]), {"percent": "1"}
        )
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None
    line = logging.Formatter().format(record)
    assert (
        line
        == f"Forbidden (Permission denied): {reverse('reporting:progress_create', args=[ward_assignment.pk])}"
    )


@pytest.mark.parametrize(
    "url", ["/", "/giao-viec/", "/giao-viec/tai-ve.csv", "/api/tasks/", "/tai-khoan/doi-mat-khau/"]
)
def test_signed_in_pages_are_not_stored_by_browsers_or_proxies(client, city_official, url):
    client.force_login(city_official)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_error_pages_are_vietnamese_in_the_portals_look_with_debug_off(
    client, city_official, settings, monkeypatch
):
    assert settings.DEBUG is False
    client.force_login(city_official)
    not_found = client.get("/khong-co-trang-nay/")
    assert not_found.status_code == 404 and "Không tìm thấy trang" in not_found.content.decode()
    assert "Theo dõi thực hiện mô hình chính quyền đô thị" in not_found.content.decode()  # base.html's header
    bad = client.get("/giao-viec/", HTTP_HOST="cqdt.example.invalid")  # not in ALLOWED_HOSTS
    assert bad.status_code == 400 and "Yêu cầu không hợp lệ" in bad.content.decode()
    forbidden = client.post(reverse("reporting:progress_create", args=[1]), {"percent": "1"})
    assert forbidden.status_code in (403, 404)
    assert "Không có quyền" in forbidden.content.decode() or "Không tìm thấy" in forbidden.content.decode()

    import tasks.views

    def broken(*args, **kwargs):
        raise RuntimeError("a fault")

    monkeypatch.setattr(tasks.views.selectors, "task_list", broken)
    failing = Client(raise_request_exception=False)
    failing.force_login(city_official)
    error = failing.get(reverse("tasks:task_list"))
    assert error.status_code == 500
    page = error.content.decode()
    assert "Lỗi hệ thống" in page and "a fault" not in page and "Traceback" not in page


def test_outside_development_the_api_takes_no_password_at_all():
    # The API's authentication classes are read when its views are defined, so production (DEBUG off) is started
    # as its own process: even the right password is not looked at; scripts sign in with a token.
    code = (
        "import base64, django; django.setup(); from django.test import Client; "
        "r = Client().get('/api/tasks/', secure=True, "
        "HTTP_AUTHORIZATION='Basic ' + base64.b64encode(b'lanhdao:" + PASSWORD + "').decode()); "
        "print(r.status_code, r['WWW-Authenticate'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="testserver")
    env["DJANGO_SETTINGS_MODULE"] = "cqdt_portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["401", "Token"]


def test_in_development_the_api_counts_wrong_passwords_with_the_same_lockout_and_answers_in_vietnamese(
    db, client, city_official, settings
):
    import base64

    # HTTP Basic is on with DEBUG (as here). A refused request gets 401 and "WWW-Authenticate: Token": the token
    # comes first, and tells a script what to send.
    assert (
        "rest_framework.authentication.BasicAuthentication"
        in settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    )
    city_official.set_password(PASSWORD)
    city_official.save()

    def basic(password, ip="10.1.1.1"):
        auth = "Basic " + base64.b64encode(f"lanhdao:{password}".encode()).decode()
        return client.get("/api/tasks/", HTTP_AUTHORIZATION=auth, REMOTE_ADDR=ip)

    for _ in range(5):
        assert basic("sai").status_code == 401
    locked = basic(PASSWORD)
    assert locked.status_code == 401 and locked.json()["detail"] == "Sai tên đăng nhập hoặc mật khẩu."
    assert basic(PASSWORD, ip="10.1.1.2").status_code == 200
