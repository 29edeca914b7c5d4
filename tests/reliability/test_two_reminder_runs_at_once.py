"""Two reminder runs for the same day at the same moment (two beats, or a beat and an admin's command): each
mail goes once and each reminder is recorded once. PostgreSQL only (real parallel connections)."""

import datetime

import pytest
from django.core import mail

from org.models import Department
from reminders import jobs
from reminders.models import Reminder, ReminderStatus
from reminders.services import reminder_digest_send, reminders_send_due
from reporting.models import Role
from tests.conftest import make_user
from tests.reliability.conftest import run_together
from tests.reminders.conftest import make_assignment, quiet_seeded_assignments
from wards.models import Ward

pytestmark = pytest.mark.postgres

DUE = datetime.date(2025, 10, 16)  # a Thursday, a working day


@pytest.fixture
def four_people_due(parallel_db):
    """Four people with something due on DUE: Phúc Xá's staff and head (3 assignments), Trúc Bạch's staff (1),
    Sở Nội vụ's staff (1)."""
    quiet_seeded_assignments()
    people = [
        make_user("phucxa", Role.UNIT_STAFF, ward=Ward.objects.get(code="00001")),
        make_user("truongphucxa", Role.UNIT_HEAD, ward=Ward.objects.get(code="00001")),
        make_user("trucbach", Role.UNIT_STAFF, ward=Ward.objects.get(code="00004")),
    ]
    people.append(make_user("sonoivu", Role.UNIT_STAFF, department=Department.objects.get(code="so-noi-vu")))
    for _ in range(3):
        make_assignment(DUE)
    make_assignment(DUE, ward="00004")
    make_assignment(DUE, department="so-noi-vu")
    return sorted(p.email for p in people)


def assert_each_mail_went_once(emails):
    assert sorted(m.to[0] for m in mail.outbox) == emails
    reminders = Reminder.objects.filter(sent_on=DUE)
    assert reminders.count() == 3 * 2 + 1 + 1
    assert set(reminders.values_list("status", flat=True)) == {ReminderStatus.SENT}
    assert set(reminders.values_list("attempts", flat=True)) == {1}


def test_two_reminder_runs_at_once_send_each_digest_once(four_people_due):
    """Both runs record and send in their own process (the `send_reminders` command's way)."""
    runs = run_together([lambda: reminders_send_due(today=DUE) for _ in range(2)])

    assert not [r for r in runs if isinstance(r, BaseException)], runs
    assert sorted(r.created for r in runs) == [0, 8]  # recorded once, by whichever run got there first
    assert_each_mail_went_once(four_people_due)


def test_two_beats_at_once_queue_digests_twice_and_the_jobs_still_send_each_once(
    four_people_due, monkeypatch
):
    """Both beats queue a job per digest (eight jobs for four digests); the jobs then run all at once."""
    queued = []
    monkeypatch.setattr(jobs.send_reminder_digest, "delay", lambda *args: queued.append(args))
    runs = run_together([lambda: jobs.send_due_reminders(DUE.isoformat()) for _ in range(2)])
    assert not [r for r in runs if isinstance(r, BaseException)], runs
    assert mail.outbox == [] and len(queued) == 8

    sent = run_together(
        [
            lambda i=i, pk=pk, day=day: reminder_digest_send(
                recipient_id=pk,
                day=datetime.date.fromisoformat(day),
                claim_token=f"job-{i}",  # each job its own Celery task id
            )
            for i, (pk, day) in enumerate(queued)
        ]
    )

    assert sorted(sent) == [0, 0, 0, 0, 1, 1, 3, 3], sent  # each digest carried once; its twin found nothing
    assert_each_mail_went_once(four_people_due)
