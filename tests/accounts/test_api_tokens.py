"""Scripts and other systems read the API with a token of their own, which the admin issues and revokes."""

import logging

from django.contrib.admin.models import LogEntry
from rest_framework.authtoken.models import Token

from accounts.models import ApiToken
from tests.test_settings import _django


def test_a_script_reads_the_api_with_its_token_and_no_session(db, client, city_official):
    token = Token.objects.create(user=city_official)
    response = client.get("/api/assignments/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_a_wrong_or_revoked_token_is_refused(db, client, city_official):
    token = Token.objects.create(user=city_official)
    refused = client.get("/api/wards/", HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert (refused.status_code, refused["WWW-Authenticate"]) == (401, "Token")
    key = token.key
    token.delete()
    assert client.get("/api/wards/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_an_inactive_persons_token_stops_working(db, client, city_official):
    token = Token.objects.create(user=city_official)
    city_official.is_active = False
    city_official.save()
    assert client.get("/api/wards/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401


def test_the_admin_issues_and_revokes_a_token_without_writing_its_key_in_the_history(
    db, client, admin_user, city_official, caplog
):
    client.force_login(admin_user)
    caplog.set_level(logging.DEBUG)
    response = client.post("/quan-tri/accounts/apitoken/add/", {"user": city_official.pk})
    assert response.status_code == 302
    key = Token.objects.get(user=city_official).key
    # The key is shown to the admin in the list, to hand to the script's owner…
    assert key in client.get("/quan-tri/accounts/apitoken/").content.decode()
    # …and written nowhere else: not in the admin's history, not in the log.
    entry = LogEntry.objects.get()
    assert key not in entry.object_repr and key not in entry.change_message
    assert "Khoá API của" in entry.object_repr
    delete_url = f"/quan-tri/accounts/apitoken/{city_official.pk}/delete/"
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not ApiToken.objects.exists()
    assert all(key not in e.object_repr for e in LogEntry.objects.all())
    assert key not in caplog.text
    assert client.get("/api/wards/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_one_token_per_person_or_system(db, client, admin_user, city_official):
    Token.objects.create(user=city_official)
    client.force_login(admin_user)
    response = client.post("/quan-tri/accounts/apitoken/add/", {"user": city_official.pk})
    assert response.status_code == 200  # the form again, with the error
    assert Token.objects.filter(user=city_official).count() == 1


def test_http_basic_is_for_development_only():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(','.join(c.rsplit('.', 1)[1] for c in settings.REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES']))"
    )
    production = _django(
        {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "cqdt.hanoi.gov.vn"}, code
    )
    assert production.stdout.strip() == "TokenAuthentication,SessionAuthentication", production.stderr
    development = _django({"DEBUG": "true"}, code)
    assert development.stdout.strip() == "TokenAuthentication,SessionAuthentication,BasicAuthentication"
