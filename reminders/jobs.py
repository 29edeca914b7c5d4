"""Celery jobs of the reminders. Each takes ids or ISO dates, calls one service, and is safe to run twice or to
retry. Their names are those stored in the beat table when they lived in tasks/jobs.py; they stay.

The schedule is in the database (django-celery-beat), created by `seed` (services.reminder_schedule_ensure):
    send_due_reminders — every day at 08:00 Asia/Ho_Chi_Minh; the morning digest of due and overdue work.
    send_unreachable_units_notice — every day at 08:30, after it: the admins' list of the units with work not
        done that nobody can be mailed at (no reminder, chase or escalation reaches them).
A chase (đôn đốc) queues its mails itself, one job per person (chase_and_mail).
"""

from datetime import date
from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .services import (
    ChaseSent,
    chase_send,
    reminder_digest_send,
    reminders_record_due,
    unreachable_units_notice_send,
)


@shared_task(name="tasks.jobs.send_due_reminders")
def send_due_reminders(day: str | None = None) -> int:
    """Record the reminders of `day` (default: today in Hà Nội) and queue one digest job per person, once the
    record is committed (a failing mail server then delays one person, never the others)."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    run = reminders_record_due(today=today)
    for recipient_id, digest_day in run.digests:
        transaction.on_commit(partial(send_reminder_digest.delay, recipient_id, digest_day.isoformat()))
    return len(run.digests)


# Sending one person's mail: a failing mail server is retried with backoff (1 min → 1 h, 6 times).
MAIL_RETRY = {
    # OSError covers smtplib.SMTPException and refused connections: the mail server, not our data, failed.
    "autoretry_for": (OSError,),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 6,
    # Far below services.CLAIM_LEASE, so a claim older than the lease belongs to a dead job.
    "soft_time_limit": 120,
    "time_limit": 180,
}


@shared_task(bind=True, name="tasks.jobs.send_reminder_digest", **MAIL_RETRY)
def send_reminder_digest(self, recipient_id: int, day: str) -> int:
    """Send one person's digest of `day`. The Celery task id is the claim token: a redelivered or retried
    job takes back the rows it claimed, and no other job can."""
    return reminder_digest_send(
        recipient_id=recipient_id, day=date.fromisoformat(day), claim_token=self.request.id or ""
    )


@shared_task(bind=True, name="reminders.jobs.send_chase_mail", **MAIL_RETRY)
def send_chase_mail(self, chase_id: int, recipient_id: int, day: str) -> int:
    """Send one person the mail of one chase; claims its rows like the digest, so it goes once."""
    return reminder_digest_send(
        recipient_id=recipient_id,
        day=date.fromisoformat(day),
        claim_token=self.request.id or "",
        chase_id=chase_id,
    )


def chase_and_mail(**kwargs) -> ChaseSent:
    """services.chase_send, then one mail job per person once the chase is committed."""
    with transaction.atomic():
        sent = chase_send(**kwargs)
        day = sent.chase.sent_on.isoformat()
        for recipient_id in sent.recipient_ids:
            transaction.on_commit(partial(send_chase_mail.delay, sent.chase.pk, recipient_id, day))
    return sent


@shared_task(name="reminders.jobs.send_unreachable_units_notice")
def send_unreachable_units_notice(day: str | None = None) -> int:
    """Mail the admins the units nobody can be mailed at (once a day; a second run sends nothing)."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    return unreachable_units_notice_send(today=today)
