"""Celery jobs of the notifications. Each is safe to run twice: a notification's e-mail is claimed under a row
lock and marked sent (emails.py).

    send_notification_emails — queued after the transaction of each event commits (services.notifications_send).
    send_pending_notification_emails — every 10 minutes (`seed` creates the beat entry): what a broker outage or
    a failing mail server left unsent.
"""

from celery import shared_task

from .emails import notification_emails_send, notification_emails_send_pending


@shared_task(
    name="notifications.jobs.send_notification_emails",
    # OSError covers smtplib.SMTPException and refused connections: the mail server, not our data, failed.
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
    soft_time_limit=120,
    time_limit=180,
)
def send_notification_emails(keys: list[str]) -> int:
    """E-mail the events named by `keys` to each of their recipients who has not had it yet."""
    return notification_emails_send(keys=keys)


@shared_task(name="notifications.jobs.send_pending_notification_emails", soft_time_limit=540, time_limit=600)
def send_pending_notification_emails() -> int:
    return notification_emails_send_pending()
