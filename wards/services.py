from django.db import transaction

from cqdt_portal.reference_data import parse_date
from cqdt_portal.seeding import upsert

from .models import District, Ward, WardKind


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
