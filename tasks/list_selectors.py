"""Reads of the assignment list page: its rows as light objects and its counts per status from the summary.
(Kept apart from selectors.py, which holds the reads every page shares.)"""

from functools import partial
from types import SimpleNamespace

from django.db.models import QuerySet

from org.models import UnitKind, UnitMember
from wards.models import District, Ward

from .models import Assignment
from .selectors import StatusCounts, status_counts, summary_rows

# What a list page's table shows of each row (templatetags/status.py, assignment_rows).
_ROW_FIELDS = (
    "pk", "department_id", "district_id", "ward_id", "task__title", "task__deadline_is_illustrative", "due_on",
    "percent", "completed_on", "escalated_at", "ended_on", "status",
)  # fmt: skip


def light_rows(assignments: QuerySet, reference) -> list | None:
    """The rows of a list page (a slice of `assignments`, annotated with their status) as light objects holding
    what the table shows, their units from `reference` (tasks.reference): half the time of model instances for
    fifty rows (bench/). None when this process has not kept the reference data yet, or a unit is missing from
    it (written since the token was read): the caller shows the model rows then."""
    if reference is None or not reference.has("departments", "units"):
        return None
    rows = []
    for values in assignments.values_list(*_ROW_FIELDS):
        row = SimpleNamespace(**dict(zip(_ROW_FIELDS, values, strict=True)))
        row.department = reference.department.get(row.department_id) if row.department_id else None
        row.district = reference.district.get(row.district_id) if row.district_id else None
        row.ward = reference.ward.get(row.ward_id) if row.ward_id else None
        row.unit = UnitMember.unit.fget(row)
        if row.unit is None:
            return None
        row.task = SimpleNamespace(
            title=row.task__title, deadline_is_illustrative=row.task__deadline_is_illustrative
        )
        row.was_handed_over = Assignment.was_handed_over.fget(row)
        row.get_absolute_url = partial(Assignment.get_absolute_url, row)
        rows.append(row)
    return rows


# The filters StatusSummary can answer (its rows are per lead department, unit and status); any other filter (a
# search, a document, a task, dates, staleness, escalation) makes the list count its rows.
SUMMARY_FILTERS = {"status", "ward", "district", "department", "lead", "unit_kind"}
NOT_ROW_FILTERS = {"as_of", "order", "page"}


def list_status_counts(filterset) -> StatusCounts:
    """The counts per status of a list's rows (tasks.filters.AssignmentFilter): from the summary the write
    services keep when the day is a kept one and the filters are among SUMMARY_FILTERS, in one small query (the
    city-wide overdue list counted 22,000 rows per request at scale M); otherwise by counting the rows.
    tests/tasks/test_status_summary.py holds both to the same figures."""
    day = filterset.as_of_date
    if not filterset.is_valid():
        return status_counts(filterset.qs, day)
    data = filterset.form.cleaned_data
    used = {name for name, value in data.items() if value not in (None, "", [], ())} - NOT_ROW_FILTERS
    if not used <= SUMMARY_FILTERS:
        return status_counts(filterset.qs, day)
    where, params = [], []
    if data.get("status"):
        where.append(f"status IN ({', '.join(['%s'] * len(data['status']))})")
        params += list(data["status"])
    if data.get("unit_kind"):
        where.append(f"{UnitKind(data['unit_kind']).value}_id IS NOT NULL")  # one of the three unit columns
    if data.get("department"):
        where.append("department_id = %s")
        params.append(data["department"].pk)
    if data.get("lead"):
        where.append("lead_department_id = %s")
        params.append(data["lead"].pk)
    if data.get("ward"):
        where.append("ward_id = %s")
        params.append(filterset.unit_pk(Ward, data["ward"]))
    if data.get("district"):
        district = filterset.unit_pk(District, data["district"])
        where.append(
            f"(district_id = %s OR ward_id IN (SELECT id FROM {Ward._meta.db_table} WHERE district_id = %s))"
        )
        params += [district, district]
    found = summary_rows(day, (), where, params)
    if found is None:
        return status_counts(filterset.qs, day)  # not a kept day: count
    counts = StatusCounts()
    for status, n in found:
        if n:
            counts.add(status, n)
    return counts
