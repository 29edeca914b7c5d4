"""Idempotent writes for reference data: create what is missing, update only what differs."""

from django.db import models


def upsert(model: type[models.Model], *, lookup: dict, values: dict, counts: dict | None = None):
    """Get-or-create `model` by `lookup` and set `values`, saving only the fields that changed.

    Unlike update_or_create, a second run with the same data writes nothing, so a re-seed leaves the
    database (and any audit trail built on it) exactly as it was. Tallies created/updated/unchanged in `counts`.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        outcome = "created"
    else:
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        for field in changed:
            setattr(obj, field, values[field])
        if changed:
            obj.save(update_fields=changed)
        outcome = "updated" if changed else "unchanged"
    if counts is not None:
        counts[outcome] = counts.get(outcome, 0) + 1
    return obj, outcome
