"""Reads of the notifications: a person's inbox, and who is told of an event."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q

from org import units

from .models import Notification


def inbox(user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def people_of_units(keys: Iterable[tuple[str, int]], *, exclude=None) -> dict[tuple[str, int], list[int]]:
    """{unit key: ids of the unit's active people}, in one query."""
    keys = {key for key in keys if key is not None}
    if not keys:
        return {}
    people = get_user_model().objects.filter(units.members_of_keys(keys), is_active=True)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    found: dict[tuple[str, int], list[int]] = {}
    for row in people.values("pk", "department_id", "district_id", "ward_id"):
        key = units.key_from_ids(
            department=row["department_id"], district=row["district_id"], ward=row["ward_id"]
        )
        found.setdefault(key, []).append(row["pk"])
    return found


def people_with_permission(permission: str, *, unit_key=None, exclude=None) -> list[int]:
    """Ids of the active people whose role grants `permission` ("app.codename"), of one unit if given. The
    admin (superuser) holds every permission but is told of nothing: the roles say who acts."""
    app_label, codename = permission.split(".")
    granted = Q(
        groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label
    )
    granted |= Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label)
    people = get_user_model().objects.filter(granted, is_active=True)
    if unit_key is not None:
        people = people.filter(units.members_of_keys([unit_key]))
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return sorted(set(people.values_list("pk", flat=True)))
