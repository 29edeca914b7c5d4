"""Redis (the Celery broker) is down: the portal keeps serving every page and accepting reports, and the daily
reminders still go out through the synchronous command. Runs on SQLite and PostgreSQL alike.

A report is written and shown in the same request; reminders are the beat's business. The one Celery job a request
queues, a notification's e-mail, is queued after the commit and a broker that refuses it is logged, never raised:
the notification waits, unsent, for `send_notifications` (or the 10-minute catch-up). So a broker outage cannot
turn a page or a report into a 500. These tests keep it so.
"""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from kombu.exceptions import OperationalError

from cqdt_portal.celery import app as celery_app
from plans.models import LegalDocument
from reminders import jobs
from reminders.models import Reminder, ReminderStatus
from reporting.models import ProgressUpdate
from tasks.models import Task
from tests.reminders.conftest import make_assignment, quiet_seeded_assignments

CLOSED_PORT = "redis://127.0.0.1:6390/0"  # nothing listens here
DUE = date(2025, 10, 16)


@pytest.fixture
def redis_down(settings, monkeypatch):
    """Point Django's settings and the already-configured Celery app at a closed port, with fresh pools."""
    # The Celery app's conf reads through to Django's settings: patch it first, so that monkeypatch restores
    # the real broker and not the closed port.
    monkeypatch.setitem(celery_app.conf, "broker_url", CLOSED_PORT)
    monkeypatch.setitem(celery_app.conf, "broker_write_url", None)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    settings.REDIS_URL = settings.CELERY_BROKER_URL = CLOSED_PORT
    # The outage is real: queueing a job fails (after kombu's short publish retries).
    with pytest.raises(OperationalError):
        jobs.send_reminder_digest.delay(0, DUE.isoformat())


def test_with_redis_down_every_main_page_still_renders(client, city_official, redis_down):
    plan = LegalDocument.objects.get(number="100/KH-UBND")
    task = Task.objects.filter(document=plan).first()
    assignment = task.assignments.first()
    client.force_login(city_official)
    for url in [
        reverse("dashboards:home"),
        reverse("dashboards:dashboard"),
        reverse("tasks:document_list"),
        reverse("tasks:document_detail", args=[plan.pk]),
        reverse("tasks:district_list"),
        reverse("tasks:district_detail", args=["001"]),
        reverse("tasks:task_list"),
        reverse("tasks:task_detail", args=[task.pk]),
        reverse("tasks:assignment_list"),
        reverse("reporting:assignment_detail", args=[assignment.pk]),
        reverse("dashboards:ward_matrix"),
        reverse("dashboards:period_report"),
        reverse("tasks:department_list"),
        reverse("tasks:unit_detail", args=["phuong", "00001"]),
    ]:
        assert client.get(url).status_code == 200, url


def test_with_redis_down_a_unit_still_submits_its_report(
    client, ward_staff, ward_assignment, redis_down, django_capture_on_commit_callbacks
):
    client.force_login(ward_staff)
    url = reverse("reporting:progress_create", args=[ward_assignment.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(
            url, {"percent": "60", "note": "Vẫn báo cáo khi Redis dừng.", "version": ward_assignment.version}
        )
    assert response.status_code == 302 and response["Location"] == ward_assignment.get_absolute_url()
    assert queued == []  # nothing waits on the broker
    update = ProgressUpdate.objects.get(assignment=ward_assignment)
    assert (update.author, update.percent, update.note) == (ward_staff, 60, "Vẫn báo cáo khi Redis dừng.")
    assert client.get(response["Location"]).status_code == 200


def test_with_redis_down_the_daily_reminders_still_go_by_the_command_and_nothing_queued_is_lost(
    ward_staff, unit_head, redis_down, django_capture_on_commit_callbacks
):
    quiet_seeded_assignments()
    make_assignment(DUE)
    # The beat's job records the day's reminders, then fails to queue the digests: the rows stay, unsent.
    with pytest.raises(OperationalError), django_capture_on_commit_callbacks(execute=True):
        jobs.send_due_reminders(DUE.isoformat())
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.PENDING}
    assert mail.outbox == []

    out = io.StringIO()
    call_command("send_reminders", "--today", DUE.isoformat(), stdout=out)

    assert "digests sent 2, failed 0" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ward_staff.email, unit_head.email])
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_with_redis_down_a_report_still_goes_and_its_notifications_wait_for_the_command(
    client, ward_staff, reviewer, ward_assignment, redis_down, django_capture_on_commit_callbacks, monkeypatch
):
    from notifications import jobs as notification_jobs
    from notifications import services as notification_services
    from notifications.models import EmailStatus, Notification

    monkeypatch.setattr(notification_services, "_broker_down_since", None)
    offered = []
    real_delay = notification_jobs.send_notification_emails.delay
    monkeypatch.setattr(
        notification_jobs.send_notification_emails, "delay", lambda *a: offered.append(a) or real_delay(*a)
    )
    client.force_login(ward_staff)
    url = reverse("reporting:progress_create", args=[ward_assignment.pk])
    for version, percent in ((0, 60), (1, 70)):
        with django_capture_on_commit_callbacks(execute=True) as queued:
            response = client.post(
                url, {"percent": percent, "note": "Báo cáo khi Redis dừng.", "version": version}
            )
        assert response.status_code == 302 and len(queued) == 1
    # The first job was offered and refused; the second report did not wait on the broker again.
    assert len(offered) == 1
    waiting = Notification.objects.filter(recipient=reviewer)
    assert set(waiting.values_list("email_status", flat=True)) == {EmailStatus.PENDING} and mail.outbox == []
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue() == "notification e-mails sent 2\n"
    assert [m.to for m in mail.outbox] == [[reviewer.email]] * 2
