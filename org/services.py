from django.db import transaction

from cqdt_portal.lib.seeding import upsert

from .models import Department


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
