"""Writes of the notifications: telling people of an event, and marking what they have read.

The apps where events happen (reporting, tasks) say what happened and to whom, inside their own transaction;
this module writes one row per person and queues the e-mails once that transaction has committed.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from .jobs import send_notification_emails
from .models import Notification, NotificationKind

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """What happened, said once for everyone told of it. `key` names the event ("report_returned:12")."""

    kind: NotificationKind
    key: str
    title: str
    link: str
    body: str = ""


def notifications_send(*, events: Iterable[tuple[Event, Iterable[int]]]) -> int:
    """Tell each event's recipients (user ids) of it, in one INSERT. A person already told of an event is not
    told again (the unique key), so a caller may repeat itself safely. The e-mails are queued after the
    caller's transaction commits; a broker that is down delays them (`send_notifications` sends what waits)
    and never undoes the event. Returns how many rows were offered."""
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=recipient,
            kind=event.kind,
            key=event.key,
            title=event.title[:300],
            body=event.body,
            link=event.link,
            created_at=now,
        )
        for event, recipients in events
        for recipient in sorted(set(recipients))
    ]
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    transaction.on_commit(partial(_queue_emails, sorted({row.key for row in rows})))
    return len(rows)


# After the broker refused a job, the next ones wait this long before trying again: each refusal costs the
# request most of a second, and the rows wait, unsent, for the catch-up in any case.
BROKER_PAUSE = timedelta(minutes=1)
_broker_down_since = None


def _queue_emails(keys: list[str]) -> None:
    global _broker_down_since
    now = timezone.now()
    if _broker_down_since is not None and now - _broker_down_since < BROKER_PAUSE:
        return
    try:
        send_notification_emails.delay(keys)
    except Exception as error:  # the broker: the rows stay pending for the next `send_notifications`
        _broker_down_since = now
        logger.warning("Could not queue the e-mails of %d notification events: %s", len(keys), error)
    else:
        _broker_down_since = None


def notification_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_settled(*, keys: Iterable[str]) -> int:
    """The events of `keys` no longer wait for anyone (a report or request decided, by whoever): their "waiting"
    notifications count as read for every recipient, so no inbox keeps asking for a decision already made."""
    return Notification.objects.filter(key__in=list(keys), read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_read_all(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# The catch-up job's Celery name and its beat entry, created by `seed` (admins may change it in the admin).
PENDING_EMAILS_JOB = "notifications.jobs.send_pending_notification_emails"
PENDING_EMAILS_ENTRY = "Gửi thư thông báo còn chờ (10 phút)"


@transaction.atomic
def notification_schedule_ensure():
    """The beat entry that sends, every 10 minutes, the notification e-mails a broker outage or a failing mail
    server left unsent. Created once: an entry that admins edited or disabled is left as they set it."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(every=10, period=IntervalSchedule.MINUTES)
    entry, _ = PeriodicTask.objects.get_or_create(
        name=PENDING_EMAILS_ENTRY,
        defaults={
            "task": PENDING_EMAILS_JOB,
            "interval": every,
            "description": "Gửi lại thư thông báo chưa gửi được (máy chủ thư hoặc hàng đợi gặp sự cố).",
        },
    )
    return entry
