"""A notification's e-mail: sent once to each person who has not turned notification e-mails off.

Exactly once: a row is locked while its mail is sent and marked SENT in the same transaction, so two jobs for
one event (a repeated queue, a retry, the 10-minute catch-up) never both send it. Only a worker killed between
the mail server's acceptance and the commit could send it twice; it is never lost.
"""

import logging
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import EmailStatus, Notification

logger = logging.getLogger(__name__)

UNSENT = [EmailStatus.PENDING, EmailStatus.FAILED]


def notification_emails_send(*, keys: list[str]) -> int:
    """Send the unsent e-mails of the events named by `keys`. Returns how many went."""
    ids = Notification.objects.filter(key__in=keys, email_status__in=UNSENT).values_list("pk", flat=True)
    return sum(_send_one(pk) for pk in list(ids))


def notification_emails_send_pending(*, settle: timedelta = timedelta(minutes=2)) -> int:
    """Send every e-mail still unsent a while after its event (the event's own job had its chance first)."""
    ids = Notification.objects.filter(
        email_status__in=UNSENT, created_at__lt=timezone.now() - settle
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(ids):
        # A failure is recorded on its row (FAILED, with the error) and retried by the next run; the others go.
        with suppress(Exception):
            sent += _send_one(pk)
    return sent


def _send_one(pk: int) -> int:
    failure = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(Q(pk=pk), email_status__in=UNSENT)
            .first()
        )
        if notification is None:
            return 0
        recipient = notification.recipient
        if not recipient.is_active or not recipient.email or recipient.notification_email_opt_out:
            notification.email_status = EmailStatus.SKIPPED
            notification.save(update_fields=["email_status"])
            return 0
        notification.email_attempts += 1
        try:
            _message(notification).send()
        except Exception as error:
            failure = error
            notification.email_status = EmailStatus.FAILED
            notification.email_error = f"{type(error).__name__}: {error}"[:2000]
        else:
            notification.email_status = EmailStatus.SENT
            notification.emailed_at = timezone.now()
            notification.email_error = ""
        notification.save(update_fields=["email_status", "emailed_at", "email_error", "email_attempts"])
    if failure is not None:
        logger.warning("Notification %s to user %s failed: %s", pk, notification.recipient_id, failure)
        raise failure
    return 1


def _message(notification: Notification) -> EmailMessage:
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "url": settings.SITE_URL + notification.link,
        "inbox_url": settings.SITE_URL + reverse("notifications:inbox"),
        "settings_url": settings.SITE_URL + reverse("accounts:notification_settings"),
    }
    # A worker has no request to take the language from: the portal writes to its users in Vietnamese.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("emails/notification_subject.txt", context).split())
        body = render_to_string("emails/notification_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=[notification.recipient.email])
