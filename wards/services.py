from datetime import date

from django.db import transaction

from cqdt_portal.lib.reference_data import parse_date
from cqdt_portal.lib.seeding import upsert

from .imports import ImportPlan, WardList, plan_import, read_ward_list
from .models import ChangeKind, District, Ward, WardChange, WardImport, WardKind


@transaction.atomic
def units_seed(*, districts: list[dict], retired_wards: list[dict]) -> dict:
    """Create or update districts and their phường; record the phường retired before the data's date.

    Successors are added, never removed, so history entered by an admin is kept.
    """
    counts: dict = {}
    for item in districts:
        district, _ = upsert(
            District,
            lookup={"code": item["code"]},
            values={"name": item["name"], "kind": item["kind"]},
            counts=counts,
        )
        for ward in item["wards"]:
            upsert(
                Ward,
                lookup={"code": ward["code"]},
                values={"name": ward["name"], "kind": WardKind.WARD, "district": district},
                counts=counts,
            )
    for item in retired_wards:
        ward, _ = upsert(
            Ward,
            lookup={"code": item["code"]},
            values={
                "name": item["name"],
                "kind": WardKind.WARD,
                "district": District.objects.get(code=item["district"]),
                "retired_on": parse_date(item["retired_on"]),
                "retirement_note": item.get("note", ""),
            },
            counts=counts,
        )
        known = set(ward.successors.values_list("code", flat=True))
        missing = [code for code in item.get("successors", []) if code not in known]
        if missing:
            ward.successors.add(*Ward.objects.filter(code__in=missing))
    return counts


def ward_list_plan(
    *, content: bytes, province_code: str, effective_on: date, successors: dict | None = None, lock=False
) -> tuple[WardList, ImportPlan]:
    """Read a ward list and plan it against the database. Raises WardFileError for an unreadable file.

    With `lock` (inside the applying transaction), the districts the file covers are locked first, so two imports
    that cover the same districts run one after the other, each planned on the other's result.
    """
    ward_list = read_ward_list(content, province_code=province_code)
    if lock:
        list(District.objects.select_for_update().filter(code__in={r.district_code for r in ward_list.rows}))
    return ward_list, plan_import(ward_list, effective_on=effective_on, successors=successors)


def ward_changes_write(*, plan: ImportPlan, ward_list: WardList, ward_import: WardImport) -> None:
    """Write what a planned import does to districts and wards, and record each change. Deletes nothing: a ward
    missing from the list is retired with the import's date. The caller holds the transaction (an import is
    applied through cqdt_portal.lib.staged_import)."""
    on = plan.effective_on
    rows = {r.ward_code: r for r in ward_list.rows}
    first_row = {}
    for r in ward_list.rows:
        first_row.setdefault(r.district_code, r)
    history = []

    def record(kind, district, ward=None, old="", new=""):
        history.append(
            WardChange(
                ward_import=ward_import,
                district=district,
                ward=ward,
                kind=kind,
                old_value=old,
                new_value=new,
                effective_on=on,
            )
        )

    for item in plan.districts_created:
        row = first_row[item["code"]]
        district = District.objects.create(
            code=row.district_code, name=row.district_name, kind=row.district_kind
        )
        record(ChangeKind.CREATED, district, new=district.full_name)
    for item in plan.districts_renamed:
        row = first_row[item["code"]]
        district = District.objects.select_for_update().get(code=item["code"])
        district.name, district.kind = row.district_name, row.district_kind
        district.save(update_fields=["name", "kind"])
        record(ChangeKind.RENAMED, district, old=item["old"], new=item["new"])
    districts = {d.code: d for d in District.objects.filter(code__in=plan.covered_districts)}

    for item in plan.created:
        row = rows[item["code"]]
        ward = Ward.objects.create(
            code=row.ward_code, name=row.ward_name, kind=WardKind.WARD, district=districts[row.district_code]
        )
        record(ChangeKind.CREATED, ward.district, ward, new=ward.full_name)
    touched = {i["code"] for i in plan.renamed + plan.moved + plan.restored}
    wards = {
        w.code: w
        for w in Ward.objects.select_for_update().filter(code__in=touched).select_related("district")
    }
    for item in plan.restored:
        ward = wards[item["code"]]
        record(ChangeKind.RESTORED, ward.district, ward, old=item["retired_on"])
        ward.retired_on = None
    for item in plan.renamed:
        ward = wards[item["code"]]
        record(ChangeKind.RENAMED, ward.district, ward, old=item["old"], new=item["new"])
        ward.name = item["new"]
    for item in plan.moved:
        ward = wards[item["code"]]
        ward.district = districts[rows[item["code"]].district_code]
        record(ChangeKind.MOVED, ward.district, ward, old=item["old"], new=item["new"])
    for ward in wards.values():
        ward.save(update_fields=["name", "district", "retired_on"])

    retiring = {
        w.code: w for w in Ward.objects.select_for_update().filter(code__in=[i["code"] for i in plan.retired])
    }
    for item in plan.retired:
        ward = retiring[item["code"]]
        ward.retired_on = on
        ward.save(update_fields=["retired_on"])
        if item["successors"]:
            ward.successors.add(*Ward.objects.filter(code__in=item["successors"]))
        record(ChangeKind.RETIRED, ward.district, ward, new=", ".join(item["successors"]))
    WardChange.objects.bulk_create(history)
