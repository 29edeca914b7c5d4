from collections import defaultdict
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders.selectors import reminders_due, working_calendar
from reminders.services import reminders_send_due


class Command(BaseCommand):
    help = (
        "Send the deadline reminders of a day now, in this process (what the 08:00 Celery job queues): one digest "
        "per person of the assigned units' due and overdue assignments, 7/3/1 days before, on the day, then every "
        "7 days overdue (ReminderSettings in the admin), on working days only; escalations to unit heads and the "
        "lead department. Safe to run again: nothing already sent is sent twice. --dry-run writes and sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to run for, YYYY-MM-DD (default: today in Hà Nội)")
        parser.add_argument("--dry-run", action="store_true", help="print what would be sent, send nothing")

    def handle(self, *args, today=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today must be a date as YYYY-MM-DD, e.g. 2021-06-24 ({error}).") from error
        if not working_calendar().is_working_day(day):
            self.stdout.write(f"{day:%d/%m/%Y} is not a working day (weekend or Holiday): no reminders.")
        if dry_run:
            self._dry_run(day)
            return
        run = reminders_send_due(today=day)
        failed = 0
        for (recipient_id, sent_on), outcome in run.sent.items():
            if isinstance(outcome, Exception):
                failed += 1
                self.stdout.write(f"FAILED user {recipient_id} ({sent_on:%d/%m/%Y}): {outcome}")
            elif outcome:
                self.stdout.write(f"sent user {recipient_id} ({sent_on:%d/%m/%Y}): {outcome} reminder(s)")
        sent = sum(1 for outcome in run.sent.values() if isinstance(outcome, int) and outcome)
        self.stdout.write(
            f"{day:%d/%m/%Y}: reminders recorded {run.created}, digests sent {sent}, failed {failed}, "
            f"newly escalated assignments {len(run.escalated)}"
        )
        if failed:
            raise CommandError(f"{failed} digest(s) failed; they are recorded and the next run retries them.")

    def _dry_run(self, day: date):
        per_person = defaultdict(list)
        for planned in reminders_due(today=day):
            per_person[planned.recipient].append(planned)
        for recipient, items in per_person.items():
            self.stdout.write(f"would send to {recipient.email} ({recipient}): {len(items)} reminder(s)")
            for p in items:
                self.stdout.write(f"  [{p.kind.label}] {p.assignment} — hạn {p.assignment.due_on:%d/%m/%Y}")
        total = sum(len(items) for items in per_person.values())
        self.stdout.write(f"{day:%d/%m/%Y} (dry run): {len(per_person)} digest(s), {total} reminder(s)")
