"""Reads of the map that pages need beyond the models' own queries."""

from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from .models import ChangeKind, District, WardChange


def with_names_on(queryset: QuerySet, day: date | None) -> QuerySet:
    """Units annotated with `name_then`: the full name a unit had on `day` where it was renamed since (seven
    phường on 01/01/2025), else None; templates show `unit.name_then|default:unit`. A subquery, no query more."""
    if day is None:
        return queryset
    changes = WardChange.objects.filter(kind=ChangeKind.RENAMED, effective_on__gt=day)
    if queryset.model is District:
        changes = changes.filter(district=OuterRef("pk"), ward__isnull=True)
    else:
        changes = changes.filter(ward=OuterRef("pk"))
    # The earliest rename after the day holds the name the unit had on it.
    return queryset.annotate(
        name_then=Subquery(changes.order_by("effective_on", "pk").values("old_value")[:1])
    )
