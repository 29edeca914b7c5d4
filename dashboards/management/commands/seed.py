from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cqdt_portal.lib.reference_data import load, parse_date
from notifications.services import notification_schedule_ensure
from org.services import departments_seed
from plans.services import documents_seed
from reminders.services import holidays_seed, reminder_schedule_ensure, reminder_settings_ensure
from reporting.services import roles_ensure
from tasks.services import plan_tasks_seed, reorganisation_apply
from wards.models import WardChange
from wards.services import reorganisation_changes, units_seed

# The changes of the map after the 2021 list, in order: each is applied once, with the hand-over of the work of
# the units it ends (tasks.services.reorganisation_apply).
REORGANISATIONS = ["wards/data/hanoi_2025_01.json", "wards/data/hanoi_2025_07.json"]


def pending_reorganisations() -> list[date]:
    """The days of the reference data's changes of the map, up to today, that are not yet applied."""
    days = [parse_date(load(path)["effective_on"]) for path in REORGANISATIONS]
    today = timezone.localdate()
    return [day for day in days if day <= today and not WardChange.objects.filter(effective_on=day).exists()]


class Command(BaseCommand):
    help = (
        "Load the reference data: the legal chain (NQ 97 → NĐ 32 → KH 100, and the Capital Law that made the model "
        "law), Hà Nội's 13 district-level units and 175 phường of 2021 (and the 2 ended in 2020), the city "
        "departments, Plan 100's duties and their assignments, then the two changes of the map of 2025 with the "
        "hand-over of the work of the units they end: on 01/01/2025 (15 phường ended, 7 renamed) and on 01/07/2025 "
        "(no more districts; 126 commune-level units). Also the user roles, the public holidays whose dates are "
        "certain, the reminder settings and the daily 08:00 reminder schedule (created once; admins' changes are "
        "kept). --until YYYY-MM-DD stops the map at that day (the changes after it are not applied). Idempotent: a "
        "second run changes nothing. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--until", help="apply only the changes of the map that take effect by this day, YYYY-MM-DD"
        )

    @transaction.atomic
    def handle(self, *args, until=None, **options):
        try:
            until = date.fromisoformat(until) if until else None
        except ValueError:
            raise CommandError(f"--until must be a date as YYYY-MM-DD, not {until!r}") from None
        units = load("wards/data/hanoi_units.json")
        plan = load("tasks/data/plan_100_tasks.json")
        steps = [
            ("văn bản", lambda: documents_seed(documents=load("plans/data/documents.json")["documents"])),
            (
                "địa bàn",
                lambda: units_seed(
                    as_of=units["as_of"], districts=units["districts"], retired_wards=units["retired_wards"]
                ),
            ),
            (
                "sở, ban, ngành",
                lambda: departments_seed(departments=load("org/data/departments.json")["departments"]),
            ),
            ("nhiệm vụ", lambda: plan_tasks_seed(document_number=plan["document"], tasks=plan["tasks"])),
            ("ngày nghỉ", holidays_seed),
        ]
        for label, step in steps:
            counts = step()
            self.stdout.write(f"{label}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        for path in REORGANISATIONS:
            changes = reorganisation_changes(load(path))
            if until and changes.effective_on > until:
                continue
            written, handed = reorganisation_apply(changes=changes)
            self.stdout.write(
                f"sắp xếp địa bàn {changes.effective_on:%d/%m/%Y} ({changes.legal_basis}): "
                f"units ended {len(written.ended_ward_ids) + len(written.ended_district_ids)}, "
                f"new units {len(written.created_ward_ids)}; assignments ended {handed.ended}, handed over "
                f"{handed.handed_over}, received {handed.created}, awaiting a decision {len(handed.awaiting)}"
            )
        roles_ensure()
        reminder_settings_ensure()
        entry = reminder_schedule_ensure()
        self.stdout.write(f"lịch nhắc hạn: {entry.name} ({entry.crontab})")
        entry = notification_schedule_ensure()
        self.stdout.write(f"lịch gửi thư thông báo còn chờ: {entry.name} ({entry.interval})")
        self.stdout.write(self.style.SUCCESS("Reference data is up to date."))
