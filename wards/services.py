from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from cqdt_portal.lib.reference_data import parse_date

from .imports import WardList, read_ward_list
from .mapping import read_mapping
from .models import ChangeKind, District, Succession, Ward, WardChange, WardImport, WardKind
from .planning import ImportPlan, plan_import


@dataclass
class UnitChanges:
    """A change of the map on one day: units that end the day before, units that begin that day, renames, moves,
    and where the ended units went. Codes name units as they were the day before (for what ends, is renamed or
    moved) or from that day on (for what begins). An official list's import and the reference data's
    reorganisations both come down to this, and are written by unit_changes_write."""

    effective_on: date
    legal_basis: str = ""
    districts_created: list[dict] = field(default_factory=list)  # {code, name, kind}
    districts_renamed: list[dict] = field(default_factory=list)  # {code, name, kind, old}
    districts_ended: list[str] = field(default_factory=list)
    districts_ended_by: str = ""  # the act that ended the districts, when it is not the changes' own
    wards_created: list[dict] = field(default_factory=list)  # {code, name, kind, district (code or None)}
    wards_renamed: list[dict] = field(default_factory=list)  # {code, name, old}
    wards_moved: list[dict] = field(default_factory=list)  # {code, district, old}
    wards_ended: list[str] = field(default_factory=list)
    # {predecessor (a code of a unit ending, or ""), predecessor_name, successor (code), relation}
    successions: list[dict] = field(default_factory=list)

    @property
    def last_day(self) -> date:
        """The last day of the units that end."""
        return self.effective_on - timedelta(days=1)


@dataclass
class WrittenChanges:
    effective_on: date
    ended_ward_ids: list[int] = field(default_factory=list)
    ended_district_ids: list[int] = field(default_factory=list)
    created_ward_ids: list[int] = field(default_factory=list)


@transaction.atomic
def unit_changes_write(*, changes: UnitChanges, ward_import: WardImport | None = None) -> WrittenChanges:
    """Write a change of the map, and record each change. Deletes nothing: an ending unit gets its last day and
    the act, a unit that begins is a new row even where it takes an old code. Parts already written are left as
    they are (the reference data's reorganisations run at every `seed`)."""
    on, last_day = changes.effective_on, changes.last_day
    wards = {
        w.code: w
        for w in Ward.objects.existing_on(last_day).select_for_update(of=("self",)).select_related("district")
    }
    districts = {d.code: d for d in District.objects.existing_on(last_day).select_for_update()}
    # Units already recorded as beginning that day (a list imported again): renamed in place, never doubled.
    began = {w.code: w for w in Ward.objects.filter(valid_from=on).select_related("district")}
    written = WrittenChanges(effective_on=on)
    history = []

    def record(kind, district=None, ward=None, old="", new=""):
        history.append(
            WardChange(
                ward_import=ward_import, district=district, ward=ward, kind=kind, old_value=old, new_value=new,
                effective_on=on,
            )
        )  # fmt: skip

    for item in changes.districts_created:
        if not District.objects.filter(code=item["code"], valid_from=on).exists():
            district = District.objects.create(
                code=item["code"], name=item["name"], kind=item["kind"], valid_from=on
            )
            districts[district.code] = district
            record(ChangeKind.CREATED, district, new=district.full_name)
    for item in changes.districts_renamed:
        district = districts[item["code"]]
        if (district.name, district.kind) != (item["name"], item["kind"]):
            old = district.full_name
            district.name, district.kind = item["name"], item["kind"]
            district.save(update_fields=["name", "kind"])
            record(ChangeKind.RENAMED, district, old=old, new=district.full_name)
    for item in changes.wards_renamed:
        ward = wards.get(item["code"]) or began[item["code"]]
        kind = item.get("kind", ward.kind)
        if (ward.name, ward.kind) != (item["name"], kind):
            old = ward.full_name
            ward.name, ward.kind = item["name"], kind
            ward.save(update_fields=["name", "kind"])
            record(ChangeKind.RENAMED, ward.district, ward, old=old, new=ward.full_name)
    for item in changes.wards_moved:
        ward, district = wards.get(item["code"]) or began[item["code"]], districts[item["district"]]
        if ward.district_id != district.pk:
            old = ward.district.full_name if ward.district_id else ""
            ward.district = district
            ward.save(update_fields=["district"])
            record(ChangeKind.MOVED, district, ward, old=old, new=district.full_name)

    # Ends before beginnings: a new unit may take the code of one that ends the day before.
    for code in changes.wards_ended:
        ward = wards[code]
        if ward.valid_to is None:
            ward.valid_to, ward.ended_by = last_day, changes.legal_basis
            ward.save(update_fields=["valid_to", "ended_by"])
            written.ended_ward_ids.append(ward.pk)
            record(ChangeKind.RETIRED, ward.district, ward, new=changes.legal_basis)
    for code in changes.districts_ended:
        district = districts[code]
        if district.valid_to is None:
            district.valid_to = last_day
            district.ended_by = changes.districts_ended_by or changes.legal_basis
            district.save(update_fields=["valid_to", "ended_by"])
            written.ended_district_ids.append(district.pk)
            record(ChangeKind.RETIRED, district, new=district.ended_by)
    for item in changes.wards_created:
        if Ward.objects.filter(code=item["code"], valid_from=on).exists():
            continue
        district = districts.get(item.get("district") or "")
        ward = Ward.objects.create(
            code=item["code"], name=item["name"], kind=item["kind"], district=district, valid_from=on
        )
        written.created_ward_ids.append(ward.pk)
        record(ChangeKind.CREATED, district, ward, new=ward.full_name)

    after = {w.code: w for w in Ward.objects.existing_on(on)}
    for item in changes.successions:
        predecessor = wards.get(item["predecessor"]) if item.get("predecessor") else None
        Succession.objects.get_or_create(
            successor=after[item["successor"]],
            predecessor=predecessor,
            **({} if predecessor else {"predecessor_name": item["predecessor_name"]}),
            defaults={
                "predecessor_code": item.get("predecessor") or "",
                "predecessor_name": item["predecessor_name"],
                "relation": item["relation"],
                "effective_on": on,
                "legal_basis": changes.legal_basis,
            },
        )
    WardChange.objects.bulk_create(history)
    return written


@transaction.atomic
def units_seed(*, as_of: str, districts: list[dict], retired_wards: list[dict]) -> dict:
    """Create or update the districts and phường of the list of `as_of` (the units that existed that day), and
    the phường that ended before it, with their last day and where they went. Idempotent; what the later
    reorganisations changed (ends, new names) is left as it is."""
    counts: dict = {}
    day = parse_date(as_of)

    def tally(outcome):
        counts[outcome] = counts.get(outcome, 0) + 1

    for item in districts:
        district = District.objects.existing_on(day).filter(code=item["code"]).first()
        if district is None:
            district = District.objects.create(code=item["code"], name=item["name"], kind=item["kind"])
            tally("created")
        else:
            tally("unchanged")
        for ward in item["wards"]:
            if not Ward.objects.existing_on(day).filter(code=ward["code"]).exists():
                Ward.objects.create(
                    code=ward["code"], name=ward["name"], kind=WardKind.WARD, district=district
                )
                tally("created")
            else:
                tally("unchanged")
    for item in retired_wards:
        valid_to = parse_date(item["valid_to"])
        ward = Ward.objects.filter(code=item["code"], valid_to=valid_to).first()
        if ward is None:
            ward = Ward.objects.create(
                code=item["code"],
                name=item["name"],
                kind=WardKind.WARD,
                district=District.objects.existing_on(valid_to).get(code=item["district"]),
                valid_to=valid_to,
                ended_by=item.get("legal_basis", ""),
                retirement_note=item.get("note", ""),
            )
            tally("created")
        else:
            tally("unchanged")
        for successor in item.get("successors", []):
            Succession.objects.get_or_create(
                predecessor=ward,
                successor=Ward.objects.existing_on(valid_to + timedelta(days=1)).get(code=successor["code"]),
                defaults={
                    "predecessor_code": ward.code,
                    "predecessor_name": ward.full_name,
                    "relation": successor["relation"],
                    "effective_on": valid_to + timedelta(days=1),
                    "legal_basis": item.get("legal_basis", ""),
                },
            )
    return counts


def reorganisation_changes(data: dict) -> UnitChanges:
    """The change of the map a reference-data file describes (wards/data/hanoi_2025_*.json), against the units
    that exist the day before it. With `units`, the file is the whole new list: every unit that existed the day
    before ends, and so do the districts (from 01/07/2025 there are none)."""
    on = parse_date(data["effective_on"])
    changes = UnitChanges(effective_on=on, legal_basis=data["legal_basis"])
    last_day = changes.last_day
    changes.wards_ended = [item["code"] for item in data.get("ended", [])]
    changes.wards_renamed = [
        {"code": i["code"], "name": i["name"], "old": i["old_name"]} for i in data.get("renamed", [])
    ]
    if "units" in data:
        changes.wards_ended = sorted(Ward.objects.existing_on(last_day).values_list("code", flat=True))
        changes.districts_ended = sorted(
            District.objects.existing_on(last_day).values_list("code", flat=True)
        )
        changes.districts_ended_by = data.get("districts_ended_by", "")
        changes.wards_created = [{**unit, "district": None} for unit in data["units"]]
        held = set(changes.wards_ended)
        changes.successions = [
            {
                "successor": item["successor"],
                # An old unit the portal never held (a xã of a huyện) is named in words only.
                "predecessor": item["predecessor"] if item["predecessor"] in held else "",
                "predecessor_name": item["predecessor_name"],
                "relation": item["relation"],
            }
            for item in data["successions"]
        ]
    return changes


def ward_list_plan(
    *,
    content: bytes,
    province_code: str,
    effective_on: date,
    successors: dict | None = None,
    mapping_content: bytes | None = None,
    correction: bool = False,
    lock=False,
) -> tuple[WardList, ImportPlan]:
    """Read a ward list (and its mapping of old units to new ones, when given) and plan it against the database.
    Raises WardFileError for an unreadable file.

    With `lock` (inside the applying transaction), the units' tables are locked against other imports first
    (the districts the file covers, or every open unit for a list of the whole province), so two imports run
    one after the other, each planned on the other's result.
    """
    ward_list = read_ward_list(content, province_code=province_code)
    mapping = read_mapping(mapping_content) if mapping_content else None
    if lock:
        if ward_list.with_districts:
            list(
                District.objects.select_for_update().filter(
                    code__in={r.district_code for r in ward_list.rows}
                )
            )
        else:
            # Ordered by key alone: the default order joins the districts, which FOR UPDATE cannot lock through.
            open_units = Ward.objects.select_for_update().filter(valid_to__isnull=True).order_by("pk")
            list(open_units.values_list("pk", flat=True))
    plan = plan_import(
        ward_list, effective_on=effective_on, successors=successors, correction=correction, mapping=mapping
    )
    return ward_list, plan


def import_changes(*, plan: ImportPlan, ward_list: WardList, legal_basis: str = "") -> UnitChanges:
    """The change of the map a planned import makes: the new and renamed units as the file gives them, the
    ending ones ending the day before its date, and where they went (the mapping, the file's successor_codes
    column or the admin's choice in the preview)."""
    rows = {r.ward_code: r for r in ward_list.rows}
    first_row = {}
    for r in ward_list.rows:
        first_row.setdefault(r.district_code, r)
    changes = UnitChanges(effective_on=plan.effective_on, legal_basis=legal_basis)
    for item in plan.districts_created + plan.districts_renamed:
        row = first_row[item["code"]]
        target = changes.districts_created if item in plan.districts_created else changes.districts_renamed
        target.append({"code": row.district_code, "name": row.district_name, "kind": row.district_kind})
    changes.districts_ended = [item["code"] for item in plan.districts_ended]
    changes.wards_created = [
        {
            "code": i["code"],
            "name": rows[i["code"]].ward_name,
            "kind": rows[i["code"]].ward_kind,
            "district": i["district_code"] or None,
        }
        for i in plan.created
    ]
    changes.wards_renamed = [
        {"code": i["code"], "name": rows[i["code"]].ward_name, "kind": rows[i["code"]].ward_kind}
        for i in plan.renamed
    ]
    changes.wards_moved = [{"code": i["code"], "district": i["district_code"]} for i in plan.moved]
    changes.wards_ended = [i["code"] for i in plan.retired]
    changes.successions = [dict(item) for item in plan.successions]
    return changes
