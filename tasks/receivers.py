"""The task side's answers to the ward list's signals (wards/signals.py): assignments follow the ward list."""

from wards.signals import count_new_unit_assignments, wards_imported

from .models import Assignment, Task, TaskScope
from .services import assignments_sync

WARD_SCOPES = [TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD]
DISTRICT_SCOPES = [TaskScope.EVERY_DISTRICT, TaskScope.EVERY_DISTRICT_AND_WARD]


def give_new_units_their_tasks(sender, ward_ids, district_ids, **kwargs):
    """After a ward-list import: every task given to "every ward/district" reaches the new units.

    Retired wards keep the assignments they had (assignments_sync never removes one).
    """
    if not ward_ids and not district_ids:
        return
    for task in Task.objects.filter(scope__in=set(WARD_SCOPES) | set(DISTRICT_SCOPES)):
        assignments_sync(task=task)


def count_assignments_for_new_units(sender, ward_codes, district_codes, **kwargs) -> int:
    """How many assignments give_new_units_their_tasks would add for these units (for the import's preview)."""
    ward_tasks = Task.objects.filter(scope__in=WARD_SCOPES)
    district_tasks = Task.objects.filter(scope__in=DISTRICT_SCOPES)
    have_ward = Assignment.objects.filter(task__in=ward_tasks, ward__code__in=ward_codes).count()
    have_district = Assignment.objects.filter(
        task__in=district_tasks, district__code__in=district_codes
    ).count()
    return (
        ward_tasks.count() * len(set(ward_codes))
        - have_ward
        + district_tasks.count() * len(set(district_codes))
        - have_district
    )


def connect():
    wards_imported.connect(give_new_units_their_tasks, dispatch_uid="tasks.give_new_units_their_tasks")
    count_new_unit_assignments.connect(
        count_assignments_for_new_units, dispatch_uid="tasks.count_assignments_for_new_units"
    )
