"""A real Celery worker, a real Redis broker, the real PostgreSQL database: each digest arrives exactly once.

Not eager mode: the test process queues the daily job twice (two beats firing), a separate `celery worker`
process runs it, queues the per-person digests itself and sends them through a file e-mail backend, and the
test counts the mails. Skips on SQLite or without Redis in local runs; fails under CI=true, where the real
services are required.
"""

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from cqdt_portal.celery import app as celery_app
from reminders.jobs import send_due_reminders
from reminders.models import Reminder, ReminderStatus
from reporting.models import Role
from tests.conftest import make_user
from tests.reminders.conftest import make_assignment, quiet_seeded_assignments
from wards.models import Ward

pytestmark = pytest.mark.postgres

DUE = date(2025, 10, 16)
WAIT_SECONDS = 90  # for the worker to start and drain the queue; generous for a slow CI machine
BASE_DIR = Path(settings.BASE_DIR)


def require(ok: bool, reason: str):
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} — CI=true requires the real services (see .ci/run)")
    pytest.skip(reason)


def redis_client():
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def redis_reachable() -> bool:
    try:
        return bool(redis_client().ping())
    except redis.RedisError:
        return False


def clear_broker():
    """Nothing left over on the test's Redis database: queued messages, and those a killed worker of an
    earlier, failed run left unacknowledged (kombu keeps them in "unacked" until it hands them back)."""
    celery_app.control.purge()
    redis_client().delete("unacked", "unacked_index")


def worker_database_url() -> str:
    """The test database (test_…), which the worker must share with this process."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def real_services():
    """PostgreSQL and Redis, checked before any test database is set up.

    The worker fixture asks for transactional_db after this one: its data is committed, so the worker process
    sees it. Such a database is emptied after each test, so the worker fixture seeds it first."""
    require(
        connection.vendor == "postgresql",
        "needs PostgreSQL (DATABASE_URL=postgres://…): a worker process cannot see an SQLite test database",
    )
    require(redis_reachable(), f"needs Redis at REDIS_URL ({settings.REDIS_URL}) for a real Celery broker")


@pytest.fixture
def start_worker(real_services, transactional_db, tmp_path):
    """Start `celery worker` subprocesses on the test database, mailing to files in tmp_path/mail; all are
    stopped (and the queue purged) at the end. Returns a function: start_worker(**extra_env) → worker dict."""
    call_command("seed", "--until", "2024-12-31", stdout=open(os.devnull, "w"))  # noqa: SIM115 — an earlier transactional test emptied it
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    clear_broker()
    started = []

    def start(**extra_env):
        env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            # django-environ drops one slash: an absolute path needs four (filemail:////tmp/…).
            "EMAIL_URL": f"filemail:///{mail_dir}",
            "SITE_URL": settings.SITE_URL,
            "DJANGO_SETTINGS_MODULE": "cqdt_portal.settings",
            **extra_env,
        }
        log_path = tmp_path / f"worker-{len(started)}.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "cqdt_portal",
                    "worker",
                    "--pool=solo",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--hostname",
                    f"test-reminders-{os.getpid()}-{len(started)}@%h",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        started.append(process)
        return {"mail_dir": mail_dir, "log": log_path, "process": process}

    try:
        yield start
    finally:
        for process in started:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
        clear_broker()


@pytest.fixture
def worker(start_worker):
    return start_worker()


def wait_until(check, what: str, worker) -> None:
    """Poll `check` until it holds; fail (with the worker's log) after WAIT_SECONDS or if the worker died."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if worker["process"].poll() is not None:
            pytest.fail(
                f"the worker exited ({worker['process'].returncode}):\n{worker['log'].read_text()[-3000:]}"
            )
        if check():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{worker['log'].read_text()[-3000:]}")


def queue_is_empty() -> bool:
    client = redis_client()
    # kombu's Redis transport: waiting messages in the queue's list, delivered-but-unacked ones in "unacked".
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


def mails_by_recipient(mail_dir: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in mail_dir.iterdir():
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: "):
                counts[line[4:]] = counts.get(line[4:], 0) + 1
    return counts


def test_a_real_worker_sends_each_digest_once_when_two_beats_fire(worker):
    quiet_seeded_assignments()
    phuc_xa, truc_bach = Ward.objects.get(code="00001"), Ward.objects.get(code="00004")
    staff = make_user("phucxa", Role.UNIT_STAFF, ward=phuc_xa)
    head = make_user("truongphucxa", Role.UNIT_HEAD, ward=phuc_xa)
    other = make_user("trucbach", Role.UNIT_STAFF, ward=truc_bach)
    assignments = [make_assignment(DUE) for _ in range(12)]
    make_assignment(DUE, ward="00004")

    # Two beats fire the same morning: the daily job is queued twice, back to back.
    send_due_reminders.delay(DUE.isoformat())
    send_due_reminders.delay(DUE.isoformat())

    def all_sent():
        rows = Reminder.objects.filter(sent_on=DUE)
        return rows.count() == 25 and not rows.exclude(status=ReminderStatus.SENT).exists()

    wait_until(all_sent, "the 25 reminders to be sent (12 + 12 to Phúc Xá, 1 to Trúc Bạch)", worker)
    wait_until(queue_is_empty, "the queue to drain (the second job's digests)", worker)
    time.sleep(1)  # the last job's mail file is written before its ack; a margin for the file system

    assert mails_by_recipient(worker["mail_dir"]) == {staff.email: 1, head.email: 1, other.email: 1}
    staff_mail = next(
        p.read_text() for p in worker["mail_dir"].iterdir() if f"To: {staff.email}" in p.read_text()
    )
    for assignment in assignments:
        assert f"/giao-viec/{assignment.pk}/" in staff_mail
    assert Reminder.objects.filter(attempts=1).count() == 25


def test_a_worker_killed_while_mailing_loses_nothing_and_sends_nothing_twice(start_worker):
    quiet_seeded_assignments()
    staff = make_user("phucxa", Role.UNIT_STAFF, ward=Ward.objects.get(code="00001"))
    make_assignment(DUE)
    # The mail server takes 4 s to answer; Redis gives an unacknowledged message back after 3 s.
    slow = {"DJANGO_SETTINGS_MODULE": "tests.worker_settings", "TEST_MAIL_DELAY": "4"}
    first = start_worker(**slow)
    send_due_reminders.delay(DUE.isoformat())
    wait_until(
        lambda: Reminder.objects.filter(status=ReminderStatus.SENDING).exists(),
        "the digest to be claimed",
        first,
    )
    first["process"].kill()  # SIGKILL while the mail server is still answering: the mail never went
    first["process"].wait(timeout=10)
    assert mails_by_recipient(first["mail_dir"]) == {}

    second = start_worker(**slow)  # takes the unacknowledged digest job back, with its task id
    wait_until(
        lambda: Reminder.objects.filter(status=ReminderStatus.SENT).exists(), "the digest to be sent", second
    )
    wait_until(queue_is_empty, "the queue to drain", second)
    time.sleep(1)
    assert mails_by_recipient(second["mail_dir"]) == {staff.email: 1}
    reminder = Reminder.objects.get()
    assert reminder.attempts == 2  # claimed by the killed job, then by its redelivery
