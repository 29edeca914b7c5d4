"""Roles are Django groups holding exactly their permissions; the unit decides the rest (reporting/access.py)."""

from django.contrib.auth.models import Group

from reporting.models import Role
from reporting.services import roles_ensure

WRITES = {"report_progress", "approve_unit_report", "review_report", "decide_extension", "change_task"}


def codenames(role: Role) -> set[str]:
    return set(Group.objects.get(name=role.value).permissions.values_list("codename", flat=True))


def test_city_official_reads_everything_and_writes_nothing(db):
    roles_ensure()
    assert not codenames(Role.CITY_OFFICIAL) & WRITES
    assert "view_assignment" in codenames(Role.CITY_OFFICIAL)


def test_each_role_holds_its_own_permissions(db):
    roles_ensure()
    assert codenames(Role.UNIT_STAFF) & WRITES == {"report_progress"}
    assert codenames(Role.UNIT_HEAD) & WRITES == {"report_progress", "approve_unit_report"}
    assert codenames(Role.REVIEWER) & WRITES == {"review_report", "decide_extension", "change_task"}


def test_roles_ensure_is_idempotent_and_repairs_a_group(db):
    roles_ensure()
    Group.objects.get(name=Role.UNIT_STAFF.value).permissions.clear()
    roles_ensure()
    roles_ensure()
    assert "report_progress" in codenames(Role.UNIT_STAFF)
    assert Group.objects.filter(name__in=[r.value for r in Role]).count() == len(Role)
