"""Operations: a backup restores into a fresh database with the same rows; production mode serves pages."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _require_postgres():
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run these tests on PostgreSQL (DATABASE_URL)")
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://…)")
    for tool in ("pg_dump", "pg_restore", "createdb", "psql"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: install postgresql-client")


def _database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_backup_restores_into_a_fresh_database_with_the_same_rows(transactional_db, tmp_path):
    _require_postgres()
    call_command("seed", verbosity=0)
    media = tmp_path / "media"
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "bao-cao.pdf").write_bytes(b"%PDF-1.4 test")
    env = {**os.environ, "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(media)}
    result = subprocess.run(
        ["bash", "ops/check-backup-restore.sh"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "backup and restore agree" in result.stdout


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_production_mode_serves_pages_and_static_files_with_debug_off(transactional_db, tmp_path):
    _require_postgres()
    call_command("seed", verbosity=0)
    port = _free_port()
    env = {
        **os.environ, "DEBUG": "false", "HTTPS": "false", "SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _database_url(), "STATIC_ROOT": str(tmp_path / "static"),
    }  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "cqdt_portal.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"{base}/dang-nhap/", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start: " + server.stderr.read1().decode())
        html = page.read().decode()
        assert "Đăng nhập" in html and page.headers["Content-Security-Policy"]
        css_path = html.split('rel="stylesheet" href="')[1].split('"')[0]
        assert css_path.startswith("/static/css/portal.") and css_path.endswith(
            ".css"
        )  # hashed by whitenoise
        css = urllib.request.urlopen(f"{base}{css_path}", timeout=5)
        assert css.status == 200 and "max-age" in css.headers["Cache-Control"]
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/khong-co-trang-nay/", timeout=5)
        assert missing.value.code in (302, 404)
    finally:
        server.terminate()
        server.wait(timeout=10)
