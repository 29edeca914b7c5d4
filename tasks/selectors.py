"""Reads for pages, exports and the API. Each is built in a fixed number of SQL queries, whatever the data size."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from cqdt_portal.lib.exports import CHUNK, Column
from org import units
from org.models import Department, UnitKind
from wards.imports import ImportPlan
from wards.models import District, Ward

from .models import Assignment, Task, TaskScope
from .status import Status, status_expression, status_q


@dataclass
class StatusCounts:
    """Counts per status of a set of assignments, and the on-time rate the offices rank units by."""

    by_status: dict = field(default_factory=dict)

    def add(self, status: str, n: int):
        self.by_status[status] = self.by_status.get(status, 0) + n

    @property
    def rows(self):
        return [(status, self.by_status.get(status.value, 0)) for status in Status]

    @property
    def total(self):
        return sum(self.by_status.values())

    def __getitem__(self, status):
        return self.by_status.get(Status(status).value, 0)

    @property
    def due(self):
        """Assignments that are done or past their deadline: the base of the on-time rate."""
        return self.total - self[Status.OPEN_ON_TIME]

    @property
    def on_time_rate(self):
        """Share done on time among those due, in percent; None when nothing is due yet."""
        return round(100 * self[Status.DONE_ON_TIME] / self.due, 1) if self.due else None

    @property
    def segments(self):
        """[(status, n, x, width)] in percent of the total, for a stacked bar (SVG)."""
        result, x = [], 0.0
        for status, n in self.rows:
            width = 100 * n / self.total if self.total else 0
            result.append((status, n, round(x, 2), round(width, 2)))
            x += width
        return result


def status_counts(assignments: QuerySet, as_of: date) -> StatusCounts:
    counts = StatusCounts()
    for row in (
        assignments.order_by()
        .annotate(status_at=status_expression(as_of))
        .values("status_at")
        .annotate(n=Count("pk"))
    ):
        counts.add(row["status_at"], row["n"])
    return counts


def tasks_with_counts(tasks: QuerySet, as_of: date) -> QuerySet:
    """Tasks with their assignment count per status (attributes n_done_on_time, …, n_total)."""
    annotations = {
        f"n_{status.value}": Count("assignments", filter=status_q(status, as_of, "assignments__"))
        for status in Status
    }
    return tasks.select_related("document", "lead_department").annotate(
        n_total=Count("assignments"), **annotations
    )


def assignments_for_list(assignments: QuerySet, as_of: date | None = None) -> QuerySet:
    if as_of is not None:
        assignments = assignments.with_status(as_of)
    return assignments.select_related(
        "task", "task__document", "department", "district", "ward", "ward__district"
    )


def task_list(as_of: date) -> QuerySet:
    # Aggregation drops Meta.ordering, so the default order is spelled out.
    return tasks_with_counts(Task.objects.all(), as_of).order_by(
        "document__issued_on", "document__number", "due_on", "pk"
    )


def district_ward_board(district, as_of: date) -> dict:
    """A district's wards × the tasks given to its wards: each cell the assignment with its status. 3 queries."""
    wards = list(district.wards.active(on=as_of).order_by("code"))
    assignments = list(
        Assignment.objects.filter(ward__district=district)
        .with_status(as_of)
        .select_related("task")
        .order_by("task__due_on", "task_id")
    )
    tasks = list({a.task_id: a.task for a in assignments}.values())
    cells = {(a.ward_id, a.task_id): a for a in assignments}
    rows = [(ward, [cells.get((ward.pk, task.pk)) for task in tasks]) for ward in wards]
    return {"wards": wards, "tasks": tasks, "rows": rows}


WARD_SCOPES = [TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD]
DISTRICT_SCOPES = [TaskScope.EVERY_DISTRICT, TaskScope.EVERY_DISTRICT_AND_WARD]


def new_unit_assignments(plan: ImportPlan) -> int:
    """How many assignments applying a ward list adds (services.assignments_sync_all afterwards), for its preview:
    the wards active afterwards, and the districts that then have wards, that lack a task given to them all.

    An assignment is unique per task and unit, so per kind: tasks × units afterwards − the pairs that exist.
    A fixed number of queries, whatever the number of tasks.
    """
    ward_codes = {i["code"] for i in plan.created} | {i["code"] for i in plan.restored}
    retired_codes = [i["code"] for i in plan.retired]
    district_codes = set(plan.covered_districts)
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


ASSIGNMENT_COLUMNS = [
    Column("Văn bản", 16),
    Column("Mục", 10),
    Column("Nhiệm vụ", 60),
    Column("Đơn vị chủ trì", 28),
    Column("Loại đơn vị", 14),
    Column("Đơn vị thực hiện", 30),
    Column("Quận, thị xã", 20),
    Column("Thời hạn", 12, "date"),
    Column("Thời hạn ban đầu", 12, "date"),
    Column("Tiến độ (%)", 10, "number"),
    Column("Ngày hoàn thành", 12, "date"),
    Column("Tình trạng", 26),
    Column("Báo cáo gần nhất", 17, "date"),
]


def assignment_rows(assignments) -> Iterator[tuple]:
    """Rows of an annotated (with_status) assignment queryset, read in chunks.

    Plain tuples (values_list), with unit names looked up once per unit: building seven model instances per
    row and a translated display name per district cost 0.4 ms a row (bench/: 77 s for 60,000 rows).
    """
    labels = {value: str(label) for value, label in Status.choices}
    kinds = {value: str(label) for value, label in UnitKind.choices}
    departments = {d.pk: str(d) for d in Department.objects.all()}
    districts = {d.pk: str(d) for d in District.objects.all()}
    # Each unit's name and its district's name, by the unit's (kind, id).
    unit_names = {
        UnitKind.DEPARTMENT.value: {pk: (name, "") for pk, name in departments.items()},
        UnitKind.DISTRICT.value: {pk: (name, name) for pk, name in districts.items()},
        UnitKind.WARD.value: {w.pk: (str(w), districts[w.district_id]) for w in Ward.objects.all()},
    }
    query = assignments.values_list(
        "task__document__number", "task__section", "task__title", "task__lead_department_id",
        "task__lead_label", "department_id", "district_id", "ward_id", "due_on", "original_due_on", "percent",
        "completed_on", "status", "last_reported_at",
    )  # fmt: skip
    for (number, section, title, lead_id, lead_label, department_id, district_id, ward_id, due_on,
         original_due_on, percent, completed_on, status, last_reported_at) in query.iterator(chunk_size=CHUNK):  # fmt: skip
        kind, unit_id = units.key_from_ids(department=department_id, district=district_id, ward=ward_id)
        unit, district = unit_names[kind][unit_id]
        yield (
            number,
            section,
            title,
            departments[lead_id] if lead_id else lead_label,
            kinds[kind],
            unit,
            district,
            due_on,
            original_due_on,
            percent,
            completed_on,
            labels[status],
            last_reported_at,
        )
