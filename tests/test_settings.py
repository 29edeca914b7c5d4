"""Settings come from the environment, with loud failures in production."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils import formats, timezone
from kombu import Connection

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _django(
    env_overrides,
    code="import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="cqdt_portal.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_without_secret_key_refuses_to_start():
    result = _django({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_with_secret_key_starts_with_debug_off():
    result = _django({"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "cqdt.hanoi.gov.vn"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_a_malformed_boolean_fails_loudly():
    result = _django({"DEBUG": "perhaps"})
    assert result.returncode != 0


def test_vietnamese_dates_and_hanoi_time():
    assert settings.LANGUAGE_CODE == "vi" and settings.TIME_ZONE == "Asia/Ho_Chi_Minh" and settings.USE_TZ
    from datetime import date

    assert formats.date_format(date(2021, 7, 1)) == "01/07/2021"
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"


def test_celery_broker_on_redis_accepts_connections():
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:  # noqa: BLE001 — any failure to reach the broker
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {settings.CELERY_BROKER_URL} is unreachable under CI: {exc}")
        pytest.skip(f"Redis at {settings.CELERY_BROKER_URL} is not running: {exc}")
