from django.db import transaction

from cqdt_portal.lib.reference_data import parse_date
from cqdt_portal.lib.seeding import upsert

from .models import LegalDocument


@transaction.atomic
def documents_seed(*, documents: list[dict]) -> dict:
    """Create or update the legal chain. Parents must come before the documents that implement them; a document
    that supersedes another comes after it (the link is set on the older one)."""
    counts: dict = {}
    for item in documents:
        parent = LegalDocument.objects.get(number=item["implements"]) if item.get("implements") else None
        document, _outcome = upsert(
            LegalDocument,
            lookup={"number": item["number"]},
            values={
                "kind": item["kind"],
                "issuer": item["issuer"],
                "issued_on": parse_date(item["issued_on"]),
                "title": item["title"],
                "summary": item.get("summary", ""),
                "implements": parent,
                "in_force_on": parse_date(item.get("in_force_on")),
            },
            counts=counts,
        )
        for number in item.get("supersedes", []):
            LegalDocument.objects.filter(number=number).exclude(superseded_by=document).update(
                superseded_by=document
            )
    return counts
