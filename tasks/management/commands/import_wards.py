import re
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cqdt_portal.lib.staged_import import ImportRefused, refuse_unless_applicable, refused_lines
from tasks.imports import WardListPlan, ward_list_effects
from tasks.services import ward_list_import
from wards.imports import WardFileError
from wards.services import ward_list_plan


def describe(plan: WardListPlan) -> list[str]:
    on = f"{plan.units.effective_on:%d/%m/%Y}"
    labels = {
        "districts_created": "districts created",
        "districts_renamed": "districts renamed",
        "districts_ended": f"districts ended on {on}",
        "created": "units created",
        "renamed": "units renamed",
        "moved": "units moved",
        "retired": f"units ended on {on}",
        "successions": "successions recorded",
        "unchanged": "units unchanged",
        "refused": "rows refused",
        "out_of_scope": "rows out of scope",
        "new_assignments": "assignments for new units",
        "handed_over": "open assignments handed over",
        "awaiting_decision": "open assignments awaiting the city's decision (no successor known)",
    }
    counts, units = plan.counts(), plan.units
    lines = [f"{labels[key]}: {counts[key]}" for key in labels]
    lines += [f"  out of scope, {reason}: {n}" for reason, n in sorted(units.out_of_scope.items())]
    for key in ["districts_renamed", "renamed", "moved"]:
        lines += [f"  {key} {i['code']}: {i['old']} -> {i['new']}" for i in getattr(units, key)]
    lines += [f"  ended {i['code']} {i['name']}" + (f" ({i['district']})" if i["district"] else "")
              for i in units.retired]  # fmt: skip
    lines += [f"  hand over {i['code']} {i['name']}: {i['open']} open -> {', '.join(i['to']) or 'awaiting decision'}"
              for i in plan.hand_overs]  # fmt: skip
    return lines


def read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise CommandError(f"cannot read {path}: {e.strerror}") from None


class Command(BaseCommand):
    help = (
        "Import the official list of commune-level units (the statistics office's .xls/.xlsx/.csv export, or a "
        "plain CSV: district_code,district_name,district_type,ward_code,ward_name,ward_type until 30/06/2025, "
        "code,name,kind[,province] from 01/07/2025, when the districts ended). Keeps one province. Creates new "
        "units (a code of an ended unit names a new one), records renames and moves, ends (never deletes) the "
        "units missing from the file, and hands their open work over to their successors, which --successions "
        "gives (a mapping in the shape of NQ 1656's). A list dated before the latest recorded change is refused "
        "unless --correction says it is a deliberate historical correction. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the ward list file")
        parser.add_argument("--province", default="01", help="province code to keep (default 01, Hà Nội)")
        parser.add_argument(
            "--effective-on", help="first day of the new list, YYYY-MM-DD (default: today); units missing "
            "from it end the day before",
        )  # fmt: skip
        parser.add_argument(
            "--successions", metavar="MAPPING.csv",
            help="old units -> new units: new_code,new_name,new_kind,relation,old_kind,old_name,old_qualifier,"
            "provision_no,old_code",
        )  # fmt: skip
        parser.add_argument(
            "--legal-basis", default="", help='the act behind the change, e.g. "1656/NQ-UBTVQH15"'
        )
        parser.add_argument(
            "--correction", action="store_true",
            help="a historical correction: accept a list dated before the latest recorded change",
        )  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")

    def handle(
        self, *args, path, province, effective_on, successions, legal_basis, correction, dry_run, **opts
    ):
        if not re.fullmatch(r"[0-9]{2}", province):
            raise CommandError(f"--province must be a two-digit code such as 01, not {province!r}")
        try:
            effective = date.fromisoformat(effective_on) if effective_on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--effective-on must be a date as YYYY-MM-DD, not {effective_on!r}") from None
        if len(legal_basis) > 200:
            raise CommandError("--legal-basis is at most 200 characters")
        file = Path(path)
        content = read(path)
        mapping = read(successions) if successions else None
        try:
            if dry_run:
                with transaction.atomic():
                    _list, units = ward_list_plan(
                        content=content, province_code=province, effective_on=effective, mapping_content=mapping,
                        correction=correction,
                    )  # fmt: skip
                    plan = ward_list_effects(units)
                refuse_unless_applicable(plan)
            else:
                _, plan = ward_list_import(
                    file_name=file.name, content=content, province_code=province, effective_on=effective,
                    mapping_file_name=Path(successions).name if successions else "", mapping_content=mapping,
                    legal_basis=legal_basis, correction=correction,
                )  # fmt: skip
        except WardFileError as e:
            raise CommandError(f"{file.name}: {e} Nothing was written.") from None
        except ImportRefused as e:
            details = refused_lines(e.plan) if e.plan else []
            raise CommandError("\n".join([f"{file.name}: {e} Nothing was written.", *details])) from None
        self.stdout.write("\n".join(describe(plan)))
        self.stdout.write("Dry run: nothing was written." if dry_run else "Imported.")
