from django.db import transaction

from cqdt_portal.lib.reference_data import parse_date
from cqdt_portal.lib.seeding import upsert

from .models import LegalDocument


@transaction.atomic
def documents_seed(*, documents: list[dict]) -> dict:
    """Create or update the legal chain. Parents must come before the documents that implement them."""
    counts: dict = {}
    for item in documents:
        parent = LegalDocument.objects.get(number=item["implements"]) if item.get("implements") else None
        upsert(
            LegalDocument,
            lookup={"number": item["number"]},
            values={
                "kind": item["kind"],
                "issuer": item["issuer"],
                "issued_on": parse_date(item["issued_on"]),
                "title": item["title"],
                "summary": item.get("summary", ""),
                "implements": parent,
            },
            counts=counts,
        )
    return counts
