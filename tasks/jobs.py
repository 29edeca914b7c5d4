"""Celery jobs. Each takes ids or ISO dates, calls one service, and is safe to run twice or to retry.

The schedule is in the database (django-celery-beat), created by `seed` (services.reminder_schedule_ensure):
    send_due_reminders — every day at 08:00 Asia/Ho_Chi_Minh; the morning digest of due and overdue work.
"""

from datetime import date

from celery import shared_task
from django.utils import timezone

from .services import reminder_digest_send, reminders_send_due


@shared_task(name="tasks.jobs.send_due_reminders")
def send_due_reminders(day: str | None = None) -> int:
    """Record the reminders of `day` (default: today in Hà Nội) and queue one digest job per person."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    return len(reminders_send_due(today=today).digests)


@shared_task(
    bind=True,
    name="tasks.jobs.send_reminder_digest",
    # OSError covers smtplib.SMTPException and refused connections: the mail server, not our data, failed.
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
    # Far below services.CLAIM_LEASE, so a claim older than the lease belongs to a dead job.
    soft_time_limit=120,
    time_limit=180,
)
def send_reminder_digest(self, recipient_id: int, day: str) -> int:
    """Send one person's digest of `day`. The Celery task id is the claim token: a redelivered or retried
    job takes back the rows it claimed, and no other job can."""
    return reminder_digest_send(
        recipient_id=recipient_id, day=date.fromisoformat(day), claim_token=self.request.id or ""
    )
