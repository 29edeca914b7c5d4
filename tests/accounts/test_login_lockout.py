"""The login lockout as an attacker tries it: directly, behind the reverse proxy (with forged and real
X-Forwarded-For), an insider wiping their count by signing in as themselves, and a stranger locking an official
out."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.models import LoginLockout

PASSWORD = "mat-khau-rat-dai-2021"
PROXY = "10.0.0.254"


def login(client, username, password, ip="10.0.0.1", forwarded=None):
    """A login as the portal receives it: from `ip` directly, or, with `forwarded`, through the proxy at PROXY
    which appended the address it received from to what the client sent (`forwarded`)."""
    meta = {"REMOTE_ADDR": ip}
    if forwarded is not None:
        meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}
    response = client.post(reverse("login"), {"username": username, "password": password}, **meta)
    client.logout()
    return response.status_code


@pytest.fixture
def officials(db, city_official, ward_staff, admin_user):
    for user in (city_official, ward_staff, admin_user):
        user.set_password(PASSWORD)
        user.save()
    return city_official, ward_staff, admin_user


@pytest.fixture
def behind_one_proxy(settings):
    """What settings.py makes of REVERSE_PROXIES=1 (checked by test_reverse_proxies_setting_reads_the_header)."""
    settings.REVERSE_PROXIES = 1
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)


def test_an_insider_cannot_reset_their_guesses_by_signing_in_as_themselves(officials, client):
    # 4 wrong guesses at the admin's password, then the insider's own login, again and again.
    statuses = []
    for _round in range(3):
        statuses += [login(client, "quantri", "doan-sai") for _ in range(4)]
        assert login(client, "phucxa", PASSWORD) == 302
    # Locked at the fifth wrong guess at the admin, whatever came between, and for the rest.
    assert statuses == [200] * 4 + [429] * 8
    assert login(client, "quantri", PASSWORD) == 429  # even the right password waits
    assert login(client, "phucxa", PASSWORD) == 302  # the insider's own account is not theirs to lose


def test_a_stranger_cannot_lock_an_official_out_from_elsewhere(officials, client):
    for _ in range(5):
        login(client, "lanhdao", "doan-sai", ip="203.0.113.66")
    assert login(client, "lanhdao", PASSWORD, ip="203.0.113.66") == 429  # the stranger's own address waits
    assert login(client, "lanhdao", PASSWORD, ip="10.0.0.1") == 302  # the official signs in from the office


def test_five_wrong_passwords_lock_the_pair_with_a_vietnamese_page_until_the_cool_off(officials, client):
    for _ in range(4):
        assert login(client, "lanhdao", "sai") == 200
    locked = client.post(reverse("login"), {"username": "lanhdao", "password": "sai"}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429
    assert "Tạm khoá đăng nhập" in locked.content.decode() and "15 phút" in locked.content.decode()
    # Trying on during the lockout does not make it longer: after 15 minutes the official gets in.
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert login(client, "lanhdao", PASSWORD) == 429
        assert login(client, "lanhdao", "sai") == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert login(client, "lanhdao", PASSWORD) == 302


def test_an_address_trying_many_names_is_locked_but_not_another_address(officials, client, settings):
    for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        login(client, f"doan-ten-{i}", "sai", ip="203.0.113.9")
    assert login(client, "lanhdao", PASSWORD, ip="203.0.113.9") == 429
    assert login(client, "lanhdao", PASSWORD, ip="203.0.113.10") == 302


def test_behind_the_proxy_one_attacker_locks_only_themselves(officials, client, behind_one_proxy):
    for _ in range(5):
        login(client, "lanhdao", "sai", forwarded="203.0.113.66")
    assert login(client, "lanhdao", PASSWORD, forwarded="203.0.113.66") == 429
    # Everyone else comes through the same proxy, each from their own address.
    assert login(client, "lanhdao", PASSWORD, forwarded="198.51.100.7") == 302
    assert login(client, "phucxa", PASSWORD, forwarded="198.51.100.8") == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}


def test_behind_the_proxy_a_forged_forwarded_address_changes_nothing(officials, client, behind_one_proxy):
    # The attacker writes a new X-Forwarded-For each time; the proxy appends their real address after it.
    statuses = [login(client, "lanhdao", "sai", forwarded=f"192.0.2.{i}, 203.0.113.66") for i in range(6)]
    assert statuses[-1] == 429
    assert login(client, "lanhdao", PASSWORD, forwarded="192.0.2.99, 203.0.113.66") == 429
    # Nor can they pass as the official's own address: it is not the rightmost entry.
    assert login(client, "lanhdao", PASSWORD, forwarded="10.0.0.1, 203.0.113.66") == 429
    assert login(client, "lanhdao", PASSWORD, forwarded="10.0.0.1") == 302


def test_behind_the_proxy_another_users_login_does_not_wipe_the_attackers_count(
    officials, client, behind_one_proxy
):
    for _ in range(3):
        for _ in range(4):
            login(client, "quantri", "sai", forwarded="203.0.113.66")
        assert login(client, "phucxa", PASSWORD, forwarded="198.51.100.8") == 302
        assert login(client, "lanhdao", PASSWORD, forwarded="203.0.113.66") == 302
    assert login(client, "quantri", PASSWORD, forwarded="203.0.113.66") == 429


def test_directly_a_forged_forwarded_header_is_ignored(officials, client):
    meta = {"REMOTE_ADDR": "203.0.113.66"}
    for i in range(5):
        client.post(reverse("login"), {"username": "lanhdao", "password": "sai"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}", **meta)  # fmt: skip
    assert login(client, "lanhdao", PASSWORD, ip="203.0.113.66") == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}


def test_reverse_proxies_setting_reads_the_header(settings):
    """settings.py turns REVERSE_PROXIES=1 into the configuration the proxy tests use."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["REVERSE_PROXIES"] = "1"
    code = (
        "from django.conf import settings as s; "
        "print(s.AXES_IPWARE_PROXY_COUNT, s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.AXES_IPWARE_PROXY_ORDER)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], env=env, capture_output=True, text=True, timeout=120,
        cwd=settings.BASE_DIR,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "0 ('HTTP_X_FORWARDED_FOR',) left-most", result.stderr


def test_an_admin_sees_and_clears_a_lockout_in_vietnamese(officials, client, admin_user):
    for _ in range(5):
        login(client, "lanhdao", "sai", ip="203.0.113.66")
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_loginlockout_changelist")).content.decode()
    assert "Khoá đăng nhập" in page and "203.0.113.66" in page and "Mở khoá đăng nhập" in page
    pks = list(LoginLockout.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("admin:accounts_loginlockout_changelist"), {"action": "unlock", "_selected_action": pks}
    )
    assert response.status_code == 302
    client.logout()
    assert login(client, "lanhdao", PASSWORD, ip="203.0.113.66") == 302
