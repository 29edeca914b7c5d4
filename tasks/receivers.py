"""The task side's answers to the ward list's signals (wards/signals.py): assignments follow the ward list."""

from django.db.models import Q

from wards.models import District, Ward
from wards.signals import count_new_unit_assignments, wards_imported

from .models import Assignment, Task, TaskScope
from .services import assignments_sync_all

WARD_SCOPES = [TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD]
DISTRICT_SCOPES = [TaskScope.EVERY_DISTRICT, TaskScope.EVERY_DISTRICT_AND_WARD]


def give_new_units_their_tasks(sender, ward_ids, district_ids, **kwargs):
    """After a ward-list import: every task given to "every ward/district" reaches each active unit lacking it.

    Retired wards keep the assignments they had (nothing is removed). A fixed number of queries whatever the
    number of tasks: the missing (task, unit) pairs are found as sets and created in bulk.
    """
    assignments_sync_all()


def count_assignments_for_new_units(sender, ward_codes, retired_codes, district_codes, **kwargs) -> int:
    """How many assignments give_new_units_their_tasks will add once the import is applied (for its preview):
    the wards active afterwards, and the districts that then have wards, that lack a task given to them all.

    An assignment is unique per task and unit, so per kind: tasks × units afterwards − the pairs that exist.
    """
    ward_codes, district_codes = set(ward_codes), set(district_codes)
    total = 0
    ward_tasks = Task.objects.filter(scope__in=WARD_SCOPES)
    if n_tasks := ward_tasks.count():
        staying = Ward.objects.active().exclude(code__in=retired_codes)
        back = Ward.objects.filter(code__in=ward_codes, retired_on__isnull=False)  # restored by the import
        created = len(ward_codes) - Ward.objects.filter(code__in=ward_codes).count()
        have = Assignment.objects.filter(task__in=ward_tasks).filter(Q(ward__in=staying) | Q(ward__in=back))
        total += n_tasks * (staying.count() + back.count() + created) - have.count()
    district_tasks = Task.objects.filter(scope__in=DISTRICT_SCOPES)
    if n_tasks := district_tasks.count():
        eligible = (
            District.objects.active().filter(Q(wards__isnull=False) | Q(code__in=district_codes)).distinct()
        )
        created = len(district_codes) - District.objects.filter(code__in=district_codes).count()
        have = Assignment.objects.filter(task__in=district_tasks, district__in=eligible)
        total += n_tasks * (eligible.count() + created) - have.count()
    return total


def connect():
    wards_imported.connect(give_new_units_their_tasks, dispatch_uid="tasks.give_new_units_their_tasks")
    count_new_unit_assignments.connect(
        count_assignments_for_new_units, dispatch_uid="tasks.count_assignments_for_new_units"
    )
