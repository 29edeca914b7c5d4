from django.core.management.base import BaseCommand
from django.db import transaction

from cqdt_portal.lib.reference_data import load
from org.services import departments_seed
from plans.services import documents_seed
from reminders.services import holidays_seed, reminder_schedule_ensure, reminder_settings_ensure
from reporting.services import roles_ensure
from tasks.services import plan_tasks_seed
from wards.services import units_seed


class Command(BaseCommand):
    help = (
        "Load the reference data: the legal chain (NQ 97 → NĐ 32 → KH 100), Hà Nội's 13 district-level units and "
        "175 phường of 2021 (and the 2 retired in 2020), the city departments, Plan 100's duties and their "
        "assignments, the user roles, the public holidays of 2021–2027 whose dates are certain, the reminder settings and "
        "the daily 08:00 reminder schedule (created once; admins' changes are kept). Idempotent: a second run changes nothing. All or nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        units = load("wards/data/hanoi_units.json")
        plan = load("tasks/data/plan_100_tasks.json")
        steps = [
            ("văn bản", lambda: documents_seed(documents=load("plans/data/documents.json")["documents"])),
            (
                "địa bàn",
                lambda: units_seed(districts=units["districts"], retired_wards=units["retired_wards"]),
            ),
            (
                "sở, ban, ngành",
                lambda: departments_seed(departments=load("org/data/departments.json")["departments"]),
            ),
            ("nhiệm vụ", lambda: plan_tasks_seed(document_number=plan["document"], tasks=plan["tasks"])),
            ("ngày nghỉ", lambda: holidays_seed(holidays=load("reminders/data/holidays.json")["holidays"])),
        ]
        for label, step in steps:
            counts = step()
            self.stdout.write(f"{label}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        roles_ensure()
        reminder_settings_ensure()
        entry = reminder_schedule_ensure()
        self.stdout.write(f"lịch nhắc hạn: {entry.name} ({entry.crontab})")
        self.stdout.write(self.style.SUCCESS("Reference data is up to date."))
