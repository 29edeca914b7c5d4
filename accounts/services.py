from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Role

# What each role may do, as "app_label.codename". Access also depends on the user's unit: see tasks/access.py.
READ = ["tasks.view_task", "tasks.view_assignment", "tasks.view_progressupdate"]
ROLE_PERMISSIONS = {
    Role.CITY_OFFICIAL: READ,
    Role.UNIT_STAFF: [*READ, "tasks.report_progress"],
    Role.UNIT_HEAD: [*READ, "tasks.report_progress", "tasks.approve_unit_report"],
    Role.REVIEWER: [
        *READ,
        "tasks.review_report",
        "tasks.decide_extension",
        "tasks.change_task",
        "tasks.change_assignment",
    ],
}


def _permissions(names: list[str]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


@transaction.atomic
def roles_ensure() -> list[Group]:
    """One Django group per role, named by the role's code, holding exactly its permissions. Idempotent."""
    groups = []
    for role in Role:
        group = Group.objects.get_or_create(name=role.value)[0]
        wanted = set(_permissions(ROLE_PERMISSIONS[role]))
        if set(group.permissions.all()) != wanted:
            group.permissions.set(wanted)
        groups.append(group)
    return groups
