"""Deadline reminders: the daily run that records who is reminded of what, and the digest mail to each person."""

import json
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from cqdt_portal.lib.seeding import upsert
from org import units
from tasks.models import Assignment
from tasks.status import Status

from .digests import DigestReader, Line, sections
from .models import (
    Chase,
    Holiday,
    Reminder,
    ReminderKind,
    ReminderSettings,
    ReminderStatus,
    UnreachableUnitsNotice,
)
from .selectors import assignments_to_remind, reminders_due, units_nobody_receives

logger = logging.getLogger(__name__)


# The daily job's Celery name and the beat entry `seed` creates for it (admins may change its time in the admin).
# The name is the one stored in the beat table since the job lived in tasks/jobs.py; it stays, so existing
# schedules keep working.
DAILY_REMINDER_JOB = "tasks.jobs.send_due_reminders"

DAILY_REMINDER_ENTRY = "Nhắc hạn hằng ngày (08:00)"

# The admins' daily list of units nobody can be mailed at, after the reminders have gone.
UNREACHABLE_JOB = "reminders.jobs.send_unreachable_units_notice"
UNREACHABLE_ENTRY = "Đơn vị chưa có người nhận thư (08:30)"

# The years whose public holidays `seed` writes from the `holidays` library (the pilot, and a margin after it).
HOLIDAY_YEARS = range(2021, 2031)

# A digest claimed longer ago than this was abandoned by a dead worker (the job's time limit is far shorter),
# so another run may take its rows.
CLAIM_LEASE = timedelta(minutes=15)

# Unsent reminders of the last days are sent late rather than lost (a mail server down over a weekend).
CATCH_UP_DAYS = 7


@transaction.atomic
def reminder_settings_ensure() -> ReminderSettings:
    """The ReminderSettings row, created from settings.REMINDER_* when missing; never overwrites admins' edits."""
    row, _ = ReminderSettings.objects.get_or_create(
        pk=1,
        defaults={
            "days_before": ",".join(str(n) for n in settings.REMINDER_DAYS_BEFORE),
            "overdue_every_days": settings.REMINDER_OVERDUE_EVERY_DAYS,
            "escalate_after": settings.REMINDER_ESCALATE_AFTER,
        },
    )
    return row


@transaction.atomic
def holidays_seed(*, years=HOLIDAY_YEARS) -> dict:
    """Vietnam's public holidays of `years` from the `holidays` library (the Labour Code's days, the lunar Tết
    and Giỗ Tổ computed from the lunar calendar, the days in lieu it knows), in Vietnamese. Days admins added
    stay; a day the library also has takes the library's name."""
    # Imported here: the library loads every country's calendar (0.14 s), which the daily run never needs.
    import holidays

    counts: dict = {}
    for day, name in sorted(holidays.country_holidays("VN", years=list(years), language="vi").items()):
        upsert(Holiday, lookup={"date": day}, values={"name": name[:200]}, counts=counts)
    return counts


@transaction.atomic
def reminder_schedule_ensure():
    """The beat entries of the daily reminder job, 08:00 Hà Nội time every day, and of the admins' list of units
    nobody can be mailed at, 08:30. Returns the first.

    The job runs every day and itself skips weekends and holidays, so admins change the calendar in one place
    (the Holiday table). Created once: an entry that admins edited or disabled is left as they set it.
    """
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    def every_day_at(hour: str, minute: str):
        return CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )[0]

    crontab = every_day_at("8", "0")
    entry, _ = PeriodicTask.objects.get_or_create(
        name=DAILY_REMINDER_ENTRY,
        defaults={
            "task": DAILY_REMINDER_JOB,
            "crontab": crontab,
            "kwargs": json.dumps({}),
            "description": "Gửi thư nhắc hạn: trước hạn, đến hạn, quá hạn; báo cáo lãnh đạo khi nhắc nhiều lần.",
        },
    )
    PeriodicTask.objects.get_or_create(
        name=UNREACHABLE_ENTRY,
        defaults={
            "task": UNREACHABLE_JOB,
            "crontab": every_day_at("8", "30"),
            "kwargs": json.dumps({}),
            "description": "Báo quản trị viên các đơn vị có việc chưa xong mà không ai nhận được thư nhắc.",
        },
    )
    return entry


@dataclass
class ReminderRun:
    today: date
    created: int = 0
    escalated: list[int] = field(default_factory=list)
    # (recipient id, day) of every digest with something unsent, today's and late ones.
    digests: list[tuple[int, date]] = field(default_factory=list)
    sent: dict = field(default_factory=dict)


@transaction.atomic
def reminders_record_due(*, today: date) -> ReminderRun:
    """The first half of the daily run: record today's reminders, flag escalations, and list every digest with
    something unsent (today's and the last days' that failed). Sends nothing.

    Recording is idempotent (one row per assignment, person and day), so a second run the same day, or two
    beats firing, adds nothing; either run then offers every unsent digest, and a digest sends only the rows
    it claims, so nothing goes twice. The daily job queues one job per digest (reminders/jobs.py); the
    `send_reminders` command sends them here (reminders_send_due).
    """
    run = ReminderRun(today=today)
    # Two runs at once (two beats, or a beat and the command) take turns on the settings row: the rows are
    # unique either way, but the second run must see the first one's rows to count and flag only its own.
    ReminderSettings.objects.select_for_update().get(pk=reminder_settings_ensure().pk)
    due = assignments_to_remind(today=today)
    planned = reminders_due(today=today, due=due)
    rows = [
        Reminder(
            assignment_id=p.assignment.pk,
            recipient_id=p.recipient.pk,
            kind=p.kind,
            sent_on=today,
            days_to_due=p.days_to_due,
        )
        for p in planned
    ]
    before = Reminder.objects.filter(sent_on=today).count()
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    run.created = Reminder.objects.filter(sent_on=today).count() - before
    # Flagged from the calendar, not from the rows: a unit nobody can be mailed at is escalated too.
    escalations = [a.pk for a, kind in due if kind == ReminderKind.ESCALATION]
    run.escalated = sorted(
        Assignment.objects.filter(pk__in=escalations, escalated_at__isnull=True).values_list("pk", flat=True)
    )
    Assignment.objects.filter(pk__in=run.escalated).update(escalated_at=timezone.now())
    run.digests = list(
        _unsent(today).values_list("recipient_id", "sent_on").distinct().order_by("sent_on", "recipient_id")
    )
    return run


def reminders_send_due(*, today: date) -> ReminderRun:
    """The daily run in this process (the `send_reminders` command): record, then send each digest one by one,
    a failure recorded on its rows (the next run retries it) and the run going on."""
    run = reminders_record_due(today=today)
    # Every line the digests may carry, read in a few queries; each digest still claims its own rows.
    reader = DigestReader()
    reader.read(_unsent(today))
    for recipient_id, day in run.digests:
        try:
            run.sent[(recipient_id, day)] = reminder_digest_send(
                recipient_id=recipient_id, day=day, reader=reader
            )
        except Exception as error:  # recorded on the rows by reminder_digest_send; the next run retries
            run.sent[(recipient_id, day)] = error
    return run


def _unsent(today: date):
    stale = timezone.now() - CLAIM_LEASE
    return (
        Reminder.objects.filter(chase__isnull=True)
        .filter(sent_on__gt=today - timedelta(days=CATCH_UP_DAYS), sent_on__lte=today)
        .filter(
            Q(status__in=[ReminderStatus.PENDING, ReminderStatus.FAILED])
            | Q(status=ReminderStatus.SENDING, claimed_at__lt=stale)
        )
    )


def reminder_digest_send(
    *,
    recipient_id: int,
    day: date,
    claim_token: str = "",
    chase_id: int | None = None,
    reader: DigestReader | None = None,
) -> int:
    """Send one person's digest of `day`; returns how many reminders it carried (0: nothing left to send).

    Exactly once, as far as mail allows: the rows are claimed in one transaction (locked, skipping rows another
    worker holds) and committed as SENDING before the mail goes, then marked SENT. A second job for the same
    digest finds nothing to claim. A claim whose job died (worker killed) is taken back by the redelivered job
    (same `claim_token`) or, after CLAIM_LEASE, by any run. A mail error marks the rows FAILED with the error
    and is raised again, for Celery to retry with backoff. The one window left is a worker killed between the
    mail server's acceptance and the commit of SENT: that digest may go twice; it is never lost.

    With `chase_id`, the mail is that chase's (its rows only, sent at once), not the daily digest. `reader`: the
    run's lines read ahead (reminders_send_due); without it, the claimed rows are read here.
    """
    now = timezone.now()
    claimable = Q(status__in=[ReminderStatus.PENDING, ReminderStatus.FAILED]) | Q(
        status=ReminderStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )
    if claim_token:
        claimable |= Q(status=ReminderStatus.SENDING, claim_token=claim_token)
    with transaction.atomic():
        # Two jobs for one digest claim in turn (the person's row is the lock): row by row, with skip_locked
        # alone, each could take some of the rows and the person would get the digest in two halves.
        recipient = User.objects.select_for_update().filter(pk=recipient_id).first()
        if recipient is None:
            return 0
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(claimable, recipient_id=recipient_id, sent_on=day, chase_id=chase_id)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        claimed = Reminder.objects.filter(pk__in=ids)
        if not recipient.is_active or not recipient.email:
            claimed.update(
                status=ReminderStatus.SKIPPED, last_error="Người nhận đã nghỉ hoặc không có e-mail."
            )
            return 0
        claimed.update(
            status=ReminderStatus.SENDING, claim_token=claim_token, claimed_at=now, attempts=F("attempts") + 1
        )

    reader = reader or DigestReader()
    lines = reader.lines(ids, day)
    chase = None
    if chase_id is not None:
        chase = Chase.objects.select_related("sent_by__department", "sent_by__district", "sent_by__ward").get(
            pk=chase_id
        )
    try:
        _digest_message(recipient, reader.unit(recipient), day, lines, chase).send()
    except Exception as error:
        Reminder.objects.filter(pk__in=ids, status=ReminderStatus.SENDING).update(
            status=ReminderStatus.FAILED, claim_token="", last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        logger.warning("Reminder digest to user %s for %s failed: %s", recipient_id, day, error)
        raise
    Reminder.objects.filter(pk__in=ids).update(
        status=ReminderStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return len(ids)


def _unit_list_url(unit) -> str:
    """The unit's page, filtered to the assignments not done (every recipient of a digest has a unit)."""
    path = reverse("tasks:unit_detail", args=[units.slug_of(unit), unit.code])
    return f"{settings.SITE_URL}{path}?status=open"


def _digest_message(
    recipient: User, unit, day: date, lines: list[Line], chase: Chase | None
) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        mail_sections = sections(lines)
    context = {
        "recipient": recipient,
        "day": day,
        "count": len(lines),
        "sections": mail_sections,
        "list_url": _unit_list_url(unit),
        # The list the city leadership's meeting takes up: overdue after repeated reminders.
        "escalated_url": settings.SITE_URL
        + reverse("tasks:assignment_list")
        + "?escalated=true&status=overdue",
        "has_escalation": any(line.kind == ReminderKind.ESCALATION for line in lines),
        "settings_url": settings.SITE_URL + reverse("accounts:notification_settings"),
    }
    if chase is not None:
        context |= {"chase": chase, "sender_unit": chase.sent_by.unit}
    return _message("chase" if chase else "reminder_digest", context, [recipient.email])


def _message(template: str, context: dict, to: list[str]) -> EmailMultiAlternatives:
    """A mail in the portal's language from emails/<template>_{subject,body}.{txt,html}."""
    context = context | {"any_illustrative": any(_illustrative(context))}
    # A worker has no request to take the language from: the portal writes to its users in Vietnamese.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    return message


def _illustrative(context: dict):
    for section in context.get("sections", []):
        for line in section["reminders"]:
            yield line.illustrative


@dataclass
class ChaseSent:
    chase: Chase
    recipient_ids: list[int]
    # Units chased that nobody could be mailed at (also on the admins' list of units without a recipient).
    unreached: list = field(default_factory=list)


@transaction.atomic
def chase_send(*, by: User, assignments: list[Assignment], message: str, today: date) -> ChaseSent:
    """Remind the units of `assignments` (overdue on `today`) now, with `by`'s message: one Reminder row of
    kind CHASE per assignment and person, who are those the daily digest would mail (active, with an e-mail,
    not opted out). The caller has checked that `by` may chase each (reporting.access.can_chase) and queues
    one mail per person after the commit (jobs.chase_and_mail). Each row sent counts as a reminder of the
    delay towards escalation."""
    message = " ".join(message.split())
    if not message:
        raise ValidationError(_("Nhập lời nhắn đôn đốc."))
    if not assignments:
        raise ValidationError(_("Chọn ít nhất một nhiệm vụ quá hạn để đôn đốc."))
    not_overdue = [a for a in assignments if not a.exists_on(today) or a.status_on(today) != Status.OVERDUE]
    if not_overdue:
        raise ValidationError(
            _("Chỉ đôn đốc được nhiệm vụ đang quá hạn: %(task)s (%(unit)s) không quá hạn.")
            % {"task": not_overdue[0].task.title, "unit": not_overdue[0].unit}
        )
    chase = Chase.objects.create(sent_by=by, message=message, sent_on=today)
    chase.assignments.set(assignments)
    keys = {a.unit_key for a in assignments}
    members: dict = {}
    for user in (
        User.objects.filter(is_active=True, reminder_digest_opt_out=False)
        .exclude(email="")
        .filter(units.members_of_keys(keys))
        .order_by("pk")
    ):
        members.setdefault(user.unit_key, []).append(user)
    rows = [
        Reminder(
            assignment=a,
            recipient=user,
            kind=ReminderKind.CHASE,
            chase=chase,
            sent_on=today,
            days_to_due=(a.due_on - today).days,
        )
        for a in assignments
        for user in members.get(a.unit_key, [])
    ]
    Reminder.objects.bulk_create(rows)
    unreached = sorted({str(a.unit) for a in assignments if a.unit_key not in members})
    return ChaseSent(chase, sorted({r.recipient_id for r in rows}), unreached)


def unreachable_units_notice_send(*, today: date) -> int:
    """Mail the admins (active superusers with an e-mail) the units nobody can be mailed at, once a day;
    returns how many admins were mailed (0: none to list, nobody to mail, or already sent today)."""
    with transaction.atomic():
        notice, _created = UnreachableUnitsNotice.objects.select_for_update().get_or_create(sent_on=today)
        if notice.sent_at is not None:
            return 0
        found = units_nobody_receives(today=today)
        admins = list(
            User.objects.filter(is_active=True, is_superuser=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if not found or not admins:
            return 0
        context = {
            "day": today,
            "units": found,
            "page_url": settings.SITE_URL + reverse("reminders:units_nobody_receives"),
        }
        _message("unreachable_units", context, admins).send()
        notice.units = len(found)
        notice.sent_at = timezone.now()
        notice.save(update_fields=["units", "sent_at"])
    return len(admins)
