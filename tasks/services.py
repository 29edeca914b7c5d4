import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from cqdt_portal.reference_data import parse_date
from cqdt_portal.seeding import upsert
from plans.models import LegalDocument
from wards.models import District, Ward

from .models import (
    Assignment,
    Department,
    Holiday,
    ProgressUpdate,
    Reminder,
    ReminderKind,
    ReminderSettings,
    ReminderStatus,
    Task,
    TaskScope,
)
from .selectors import assignments_to_remind, reminders_due

logger = logging.getLogger(__name__)


class StaleVersion(Exception):
    """The assignment changed since the form was read; the caller shows the newer state."""


@transaction.atomic
def departments_seed(*, departments: list[dict]) -> dict:
    counts: dict = {}
    for item in departments:
        upsert(
            Department,
            lookup={"code": item["code"]},
            values={"name": item["name"], "short_name": item.get("short_name", ""), "kind": item["kind"]},
            counts=counts,
        )
    return counts


def assignments_sync(*, task: Task) -> int:
    """Give a task scoped to "every district/ward" to each active unit that lacks it. Returns how many were added.

    Existing assignments, those of retired wards included, are kept as they are.
    """
    units = []
    if task.scope in (TaskScope.EVERY_DISTRICT, TaskScope.EVERY_DISTRICT_AND_WARD):
        have = set(task.assignments.filter(district__isnull=False).values_list("district_id", flat=True))
        units += [
            {"district": d}
            for d in District.objects.active().filter(wards__isnull=False).distinct()
            if d.pk not in have
        ]
    if task.scope in (TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD):
        have = set(task.assignments.filter(ward__isnull=False).values_list("ward_id", flat=True))
        units += [{"ward": w} for w in Ward.objects.active() if w.pk not in have]
    Assignment.objects.bulk_create(
        [Assignment(task=task, due_on=task.due_on, original_due_on=task.due_on, **unit) for unit in units]
    )
    return len(units)


@transaction.atomic
def plan_tasks_seed(*, document_number: str, tasks: list[dict]) -> dict:
    """Create or update a plan's tasks and their assignments (one per unit; one per active ward for "every ward")."""
    document = LegalDocument.objects.get(number=document_number)
    counts: dict = {}
    for item in tasks:
        lead = Department.objects.get(code=item["lead"]) if item.get("lead") else None
        due_on = parse_date(item["due_on"])
        task, outcome = upsert(
            Task,
            lookup={"document": document, "title": item["title"]},
            values={
                "section": item.get("section", ""),
                "description": item.get("description", ""),
                "lead_department": lead,
                "lead_label": item.get("lead_label", ""),
                "coordination_note": item.get("coordination_note", ""),
                "scope": item["scope"],
                "due_on": due_on,
                "deadline_is_illustrative": item.get("deadline_is_illustrative", False),
                "is_illustrative": item.get("is_illustrative", False),
            },
            counts=counts,
        )
        coordinating = Department.objects.filter(code__in=item.get("coordinating", []))
        if set(task.coordinating_departments.all()) != set(coordinating):
            task.coordinating_departments.set(coordinating)
        added = assignments_sync(task=task)
        for department in Department.objects.filter(code__in=item.get("assign_to", [])):
            if not task.assignments.filter(department=department).exists():
                Assignment.objects.create(
                    task=task, department=department, due_on=due_on, original_due_on=due_on
                )
                added += 1
        counts["assignments_created"] = counts.get("assignments_created", 0) + added
    return counts


@transaction.atomic
def progress_report(
    *,
    assignment: Assignment,
    by,
    percent: int,
    note: str = "",
    completed_on: date | None = None,
    outgoing_number: str = "",
    outgoing_date: date | None = None,
    expected_version: int | None = None,
    reported_at: datetime | None = None,
) -> ProgressUpdate:
    """Record a unit's report and move the assignment's progress. Refuses a stale form (expected_version).

    A report of 100 % completes the assignment on `completed_on` (default: the report's date) and needs a note.
    """
    reported_at = reported_at or timezone.now()
    report_day = timezone.localdate(reported_at)
    errors = {}
    if not 0 <= percent <= 100:
        errors["percent"] = "Tiến độ phải từ 0 đến 100%."
    if percent == 100:
        completed_on = completed_on or report_day
        if not note.strip():
            errors["note"] = "Báo cáo hoàn thành cần có nội dung hoặc tài liệu kèm theo."
    elif completed_on is not None:
        errors["completed_on"] = "Chỉ ghi ngày hoàn thành khi tiến độ là 100%."
    if completed_on and completed_on > report_day:
        errors["completed_on"] = "Ngày hoàn thành không được sau ngày báo cáo."
    if outgoing_date and outgoing_date > report_day:
        errors["outgoing_date"] = "Ngày văn bản không được sau ngày báo cáo."
    if errors:
        raise ValidationError(errors)

    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion()
    update = ProgressUpdate.objects.create(
        assignment=locked,
        author=by,
        reported_at=reported_at,
        percent=percent,
        note=note,
        completed_on=completed_on,
        outgoing_number=outgoing_number,
        outgoing_date=outgoing_date,
    )
    locked.percent = percent
    locked.completed_on = completed_on
    locked.last_reported_at = reported_at
    locked.version += 1
    locked.save(update_fields=["percent", "completed_on", "last_reported_at", "version"])
    assignment.refresh_from_db()
    return update


# ---- Deadline reminders -------------------------------------------------------------------------------------

# The daily job's Celery name and the beat entry `seed` creates for it (admins may change its time in the admin).
DAILY_REMINDER_JOB = "tasks.jobs.send_due_reminders"
DAILY_REMINDER_ENTRY = "Nhắc hạn hằng ngày (08:00)"
# A digest claimed longer ago than this was abandoned by a dead worker (the job's time limit is far shorter),
# so another run may take its rows.
CLAIM_LEASE = timedelta(minutes=15)
# Unsent reminders of the last days are sent late rather than lost (a mail server down over a weekend).
CATCH_UP_DAYS = 7
# The order of a digest's sections: the most pressing first.
KIND_ORDER = [ReminderKind.ESCALATION, ReminderKind.OVERDUE, ReminderKind.DUE, ReminderKind.BEFORE_DUE]


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
def holidays_seed(*, holidays: list[dict]) -> dict:
    counts: dict = {}
    for item in holidays:
        upsert(
            Holiday, lookup={"date": parse_date(item["date"])}, values={"name": item["name"]}, counts=counts
        )
    return counts


@transaction.atomic
def reminder_schedule_ensure():
    """The beat entry of the daily reminder job: 08:00 Hà Nội time, every day.

    The job runs every day and itself skips weekends and holidays, so admins change the calendar in one place
    (the Holiday table). Created once: an entry that admins edited or disabled is left as they set it.
    """
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="8",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    entry, _ = PeriodicTask.objects.get_or_create(
        name=DAILY_REMINDER_ENTRY,
        defaults={
            "task": DAILY_REMINDER_JOB,
            "crontab": crontab,
            "kwargs": json.dumps({}),
            "description": "Gửi thư nhắc hạn: trước hạn, đến hạn, quá hạn; báo cáo lãnh đạo khi nhắc nhiều lần.",
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


def reminders_send_due(*, today: date, queue: bool = True) -> ReminderRun:
    """The daily reminder run: record today's reminders, then send one digest per person.

    Recording is idempotent (one row per assignment, person and day), so a second run the same day, or two
    beats firing, adds nothing; either run then offers every unsent digest, and a digest sends only the rows
    it claims, so nothing goes twice. With `queue`, one Celery job per digest is queued after the commit
    (a failing mail server then delays one person, never the others); without, the digests are sent here,
    one by one, a failure recorded and the run going on.
    """
    run = ReminderRun(today=today)
    with transaction.atomic():
        due = assignments_to_remind(today=today)
        planned = reminders_due(today=today, due=due)
        rows = [
            Reminder(
                assignment=p.assignment,
                recipient=p.recipient,
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
            Assignment.objects.filter(pk__in=escalations, escalated_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        Assignment.objects.filter(pk__in=run.escalated).update(escalated_at=timezone.now())
        run.digests = list(
            _unsent(today)
            .values_list("recipient_id", "sent_on")
            .distinct()
            .order_by("sent_on", "recipient_id")
        )
        if queue:
            from .jobs import send_reminder_digest  # here: jobs imports this module

            for recipient_id, day in run.digests:
                transaction.on_commit(partial(send_reminder_digest.delay, recipient_id, day.isoformat()))
    if not queue:
        for recipient_id, day in run.digests:
            try:
                run.sent[(recipient_id, day)] = reminder_digest_send(recipient_id=recipient_id, day=day)
            except Exception as error:  # recorded on the rows by reminder_digest_send; the next run retries
                run.sent[(recipient_id, day)] = error
    return run


def _unsent(today: date):
    stale = timezone.now() - CLAIM_LEASE
    return Reminder.objects.filter(
        sent_on__gt=today - timedelta(days=CATCH_UP_DAYS), sent_on__lte=today
    ).filter(
        Q(status__in=[ReminderStatus.PENDING, ReminderStatus.FAILED])
        | Q(status=ReminderStatus.SENDING, claimed_at__lt=stale)
    )


def reminder_digest_send(*, recipient_id: int, day: date, claim_token: str = "") -> int:
    """Send one person's digest of `day`; returns how many reminders it carried (0: nothing left to send).

    Exactly once, as far as mail allows: the rows are claimed in one transaction (locked, skipping rows another
    worker holds) and committed as SENDING before the mail goes, then marked SENT. A second job for the same
    digest finds nothing to claim. A claim whose job died (worker killed) is taken back by the redelivered job
    (same `claim_token`) or, after CLAIM_LEASE, by any run. A mail error marks the rows FAILED with the error
    and is raised again, for Celery to retry with backoff. The one window left is a worker killed between the
    mail server's acceptance and the commit of SENT: that digest may go twice; it is never lost.
    """
    now = timezone.now()
    claimable = Q(status__in=[ReminderStatus.PENDING, ReminderStatus.FAILED]) | Q(
        status=ReminderStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )
    if claim_token:
        claimable |= Q(status=ReminderStatus.SENDING, claim_token=claim_token)
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(claimable, recipient_id=recipient_id, sent_on=day)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        recipient = User.objects.get(pk=recipient_id)
        claimed = Reminder.objects.filter(pk__in=ids)
        if not recipient.is_active or not recipient.email:
            claimed.update(
                status=ReminderStatus.SKIPPED, last_error="Người nhận đã nghỉ hoặc không có e-mail."
            )
            return 0
        claimed.update(
            status=ReminderStatus.SENDING, claim_token=claim_token, claimed_at=now, attempts=F("attempts") + 1
        )

    reminders = list(
        Reminder.objects.filter(pk__in=ids).select_related(
            "assignment__task", "assignment__department", "assignment__district", "assignment__ward"
        )
    )
    try:
        _digest_message(recipient, day, reminders).send()
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


def _unit_list_url(user: User) -> str:
    """The user's unit page, filtered to assignments not done; the overview for users without a unit."""
    if user.department_id:
        path = reverse("tasks:unit_detail", args=["so", user.department.code])
    elif user.district_id:
        path = reverse("tasks:unit_detail", args=["quan", user.district.code])
    elif user.ward_id:
        path = reverse("tasks:unit_detail", args=["phuong", user.ward.code])
    else:
        return settings.SITE_URL + reverse("tasks:home")
    return f"{settings.SITE_URL}{path}?status=open"


def _digest_message(recipient: User, day: date, reminders: list[Reminder]) -> EmailMultiAlternatives:
    reminders.sort(key=lambda r: (KIND_ORDER.index(r.kind), r.assignment.due_on, r.assignment.pk))
    sections = []
    for kind in KIND_ORDER:
        items = [r for r in reminders if r.kind == kind]
        if items:
            sections.append({"kind": kind, "label": kind.label, "reminders": items})
    for reminder in reminders:
        reminder.url = settings.SITE_URL + reminder.assignment.get_absolute_url()
        reminder.days_overdue = -reminder.days_to_due
    context = {
        "recipient": recipient,
        "day": day,
        "count": len(reminders),
        "sections": sections,
        "list_url": _unit_list_url(recipient),
        "escalated_url": settings.SITE_URL + reverse("tasks:home") + "#bao-cao-lanh-dao",
        "has_escalation": any(r.kind == ReminderKind.ESCALATION for r in reminders),
        "settings_url": settings.SITE_URL + reverse("accounts:notification_settings"),
    }
    # A worker has no request to take the language from: the portal writes to its users in Vietnamese.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("emails/reminder_digest_subject.txt", context).split())
        text = render_to_string("emails/reminder_digest_body.txt", context)
        html = render_to_string("emails/reminder_digest_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return message
