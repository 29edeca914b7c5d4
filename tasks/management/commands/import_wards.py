import re
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cqdt_portal.lib.staged_import import ImportRefused, refuse_unless_applicable, refused_lines
from tasks.imports import WardListPlan
from tasks.selectors import new_unit_assignments
from tasks.services import ward_list_import
from wards.imports import WardFileError
from wards.services import ward_list_plan


def describe(plan: WardListPlan) -> list[str]:
    labels = {
        "districts_created": "districts created",
        "districts_renamed": "districts renamed",
        "created": "wards created",
        "renamed": "wards renamed",
        "moved": "wards moved",
        "restored": "wards restored",
        "retired": f"wards retired on {plan.units.effective_on:%d/%m/%Y}",
        "unchanged": "wards unchanged",
        "refused": "rows refused",
        "out_of_scope": "rows out of scope",
        "new_assignments": "assignments for new wards",
    }
    counts, units = plan.counts(), plan.units
    lines = [f"{labels[key]}: {counts[key]}" for key in labels]
    lines += [f"  out of scope, {reason}: {n}" for reason, n in sorted(units.out_of_scope.items())]
    for key in ["districts_renamed", "renamed", "moved"]:
        lines += [f"  {key} {i['code']}: {i['old']} -> {i['new']}" for i in getattr(units, key)]
    lines += [f"  retired {i['code']} {i['name']} ({i['district']})" for i in units.retired]
    return lines


class Command(BaseCommand):
    help = (
        "Import the official ward list (the statistics office's .xls/.xlsx/.csv export, or the plain CSV "
        "district_code,district_name,district_type,ward_code,ward_name,ward_type). Keeps one province and, of "
        "it, the phường and their districts. Creates new units, records renames and moves, and retires (never "
        "deletes) the wards missing from the file, only within the districts the file covers. A row with "
        "successor_codes names a retired ward and where it went. All or nothing: any refused row writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the ward list file")
        parser.add_argument("--province", default="01", help="province code to keep (default 01, Hà Nội)")
        parser.add_argument(
            "--effective-on", help="date the retirements take effect, YYYY-MM-DD (default: today)"
        )
        parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")

    def handle(self, *args, path, province, effective_on, dry_run, **options):
        if not re.fullmatch(r"[0-9]{2}", province):
            raise CommandError(f"--province must be a two-digit code such as 01, not {province!r}")
        try:
            effective = date.fromisoformat(effective_on) if effective_on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--effective-on must be a date as YYYY-MM-DD, not {effective_on!r}") from None
        file = Path(path)
        try:
            content = file.read_bytes()
        except OSError as e:
            raise CommandError(f"cannot read {path}: {e.strerror}") from None
        try:
            if dry_run:
                with transaction.atomic():
                    _list, units = ward_list_plan(
                        content=content, province_code=province, effective_on=effective
                    )
                    plan = WardListPlan(units=units, new_assignments=new_unit_assignments(units))
                refuse_unless_applicable(plan)
            else:
                _, plan = ward_list_import(
                    file_name=file.name, content=content, province_code=province, effective_on=effective
                )
        except WardFileError as e:
            raise CommandError(f"{file.name}: {e} Nothing was written.") from None
        except ImportRefused as e:
            details = refused_lines(e.plan) if e.plan else []
            raise CommandError("\n".join([f"{file.name}: {e} Nothing was written.", *details])) from None
        self.stdout.write("\n".join(describe(plan)))
        self.stdout.write("Dry run: nothing was written." if dry_run else "Imported.")
