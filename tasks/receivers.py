"""The task side's answers to the ward list's signals (wards/signals.py): assignments follow the ward list."""

from django.db.models import Q

from wards.models import District, Ward
from wards.signals import count_new_unit_assignments, wards_imported

from .models import Task, TaskScope
from .services import assignments_sync

WARD_SCOPES = [TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD]
DISTRICT_SCOPES = [TaskScope.EVERY_DISTRICT, TaskScope.EVERY_DISTRICT_AND_WARD]


def give_new_units_their_tasks(sender, ward_ids, district_ids, **kwargs):
    """After a ward-list import: every task given to "every ward/district" reaches each active unit lacking it.

    Retired wards keep the assignments they had (assignments_sync never removes one).
    """
    for task in Task.objects.filter(scope__in=set(WARD_SCOPES) | set(DISTRICT_SCOPES)):
        assignments_sync(task=task)


def count_assignments_for_new_units(sender, ward_codes, retired_codes, district_codes, **kwargs) -> int:
    """How many assignments give_new_units_their_tasks will add once the import is applied (for its preview):
    the wards active afterwards, and the districts that then have wards, that lack a task given to them all."""
    ward_codes, district_codes = set(ward_codes), set(district_codes)
    total = 0
    for task in Task.objects.filter(scope__in=WARD_SCOPES):
        assigned = task.assignments.filter(ward__isnull=False).values("ward_id")
        staying = Ward.objects.active().exclude(code__in=retired_codes)
        back = Ward.objects.filter(code__in=ward_codes, retired_on__isnull=False)  # restored by the import
        created = len(ward_codes) - Ward.objects.filter(code__in=ward_codes).count()
        total += staying.exclude(pk__in=assigned).count() + back.exclude(pk__in=assigned).count() + created
    for task in Task.objects.filter(scope__in=DISTRICT_SCOPES):
        assigned = task.assignments.filter(district__isnull=False).values("district_id")
        eligible = (
            District.objects.active().filter(Q(wards__isnull=False) | Q(code__in=district_codes)).distinct()
        )
        created = len(district_codes) - District.objects.filter(code__in=district_codes).count()
        total += eligible.exclude(pk__in=assigned).count() + created
    return total


def connect():
    wards_imported.connect(give_new_units_their_tasks, dispatch_uid="tasks.give_new_units_their_tasks")
    count_new_unit_assignments.connect(
        count_assignments_for_new_units, dispatch_uid="tasks.count_assignments_for_new_units"
    )
