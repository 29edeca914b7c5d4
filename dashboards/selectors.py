"""Reads for the dashboards: totals and breakdowns of the assignments' statuses, the ranking, the ward matrix.
Each is built in a fixed number of SQL queries, whatever the data size."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from org import units
from org.models import UnitKind
from plans.models import LegalDocument
from tasks.models import Assignment, Task, TaskScope
from tasks.reference import reference_objects
from tasks.selectors import StatusCounts, assignments_for_list, fold_counts, grouped_counts, summary_counts
from tasks.status import Status, status_q
from wards.models import District, Ward
from wards.selectors import with_names_on

MATRIX_SCOPES = [TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD]
# Tasks per page of the matrix on screen. The real plan has a handful of every-ward tasks; at city scale
# (bench/: 130 tasks × 175 wards, 22,750 cells and 5 MB of HTML) the page shows them in slices: a cell is about
# 270 bytes (link, symbol, the status in words for screen readers, percent), so four tasks × 175 wards keep a
# page under 300 KB (twenty sent 1 MB at scale M); the exports hold every task.
MATRIX_COLUMNS = 4


@dataclass
class UnitRow:
    kind: UnitKind
    unit: object
    counts: StatusCounts

    @property
    def filter_params(self):
        """The list filter for this unit's own assignments (a district's without its wards')."""
        return {self.kind.value: self.unit.code, "unit_kind": self.kind.value}


def _ranking(per: dict, min_due: int, as_of: date | None = None, kept=None) -> list[UnitRow]:
    """The emulation ranking (thi đua) of the units' own assignments, from counts keyed by unit (kind, id): only
    units with at least `min_due` assignments due; the best on-time rate first, and between equal rates the
    unit with more assignments due first (then by name)."""
    ranked = {key: counts for key, counts in per.items() if counts.due >= min_due}
    found = (kept or reference_objects()).units_by_key(ranked, names_on=as_of)
    rows = [UnitRow(UnitKind(key[0]), found[key], counts) for key, counts in ranked.items()]
    rows.sort(key=lambda r: (-r.counts.on_time_rate, -r.counts.due, str(r.unit)))
    return rows


def most_overdue(
    as_of: date, limit: int = 10, assignments: QuerySet | None = None, reference=None
) -> QuerySet:
    """The longest overdue; `assignments`, when given, are a filterset's rows (already annotated with status);
    `reference`, the page's tasks.reference.Reference."""
    # status_q rather than the CASE annotation: plain date conditions that PostgreSQL matches to its indexes.
    rows = (
        assignments_for_list(Assignment.objects.existing_on(as_of), as_of)
        if assignments is None
        else assignments
    )
    rows = assignments_for_list(rows).filter(status_q(Status.OVERDUE, as_of)).order_by("due_on", "pk")
    return rows.units_from_memory(reference)[:limit]


def counts_with_documents(as_of: date) -> tuple[StatusCounts, list]:
    """The totals of the assignments that existed on `as_of`, and the counts per document, from one GROUP BY."""
    per = grouped_counts(Assignment.objects.existing_on(as_of), as_of, g_doc=F("task__document"))
    total = fold_counts(per, lambda g: 0).get(0, StatusCounts())
    return total, [(doc, per[doc.pk]) for doc in LegalDocument.objects.filter(pk__in=per)]


def completion_over_time(assignments: QuerySet) -> list[tuple[date, int, int]]:
    """[(month, done that month, done so far)] for a cumulative progress chart; one query."""
    rows = (
        assignments.filter(completed_on__isnull=False)
        .order_by()
        .annotate(month=TruncMonth("completed_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    total, series = 0, []
    for row in rows:
        total += row["n"]
        series.append((row["month"], row["n"], total))
    return series


@dataclass
class Matrix:
    tasks: list
    rows: list  # [(ward, [cell or None per task], StatusCounts)]
    column_counts: list  # [StatusCounts per task]
    total: StatusCounts
    task_page: Page | None = None  # the slice of tasks shown, when paginated


def ward_matrix(as_of: date, district: District | None = None, task_page: int | str | None = None) -> Matrix:
    """Wards × tasks given to every ward; each cell the status as of `as_of`. Three queries (four with a page).

    With `task_page`, only that page of MATRIX_COLUMNS tasks (the screen); without it, every task (the exports).
    """
    tasks = Task.objects.filter(scope__in=MATRIX_SCOPES).order_by("due_on", "pk")
    page = None
    if task_page is not None:
        page = Paginator(tasks, MATRIX_COLUMNS).get_page(task_page)
        tasks = page.object_list
    tasks = list(tasks)
    cells = Assignment.objects.existing_on(as_of).filter(task__in=tasks, ward__isnull=False)
    if district is not None:
        cells = cells.filter(ward__district=district)
    by_ward: dict = {}
    for cell in cells.with_status(as_of).values("pk", "task_id", "ward_id", "status", "percent"):
        by_ward.setdefault(cell["ward_id"], {})[cell["task_id"]] = cell
    wards = with_names_on(Ward.objects.filter(pk__in=by_ward), as_of).select_related("district")
    wards = wards.order_by("district__code", "code")
    # Plain Counters in the loop: at city scale it runs once per cell (130 tasks × 175 wards in bench/).
    task_ids = [task.pk for task in tasks]
    per_column = [Counter() for _ in tasks]
    rows = []
    for ward in wards:
        mine = by_ward[ward.pk]
        row = [mine.get(pk) for pk in task_ids]
        per_row = Counter()
        for i, cell in enumerate(row):
            if cell:
                per_row[cell["status"]] += 1
                per_column[i][cell["status"]] += 1
        rows.append((ward, row, StatusCounts(dict(per_row))))
    total = sum(per_column, Counter())
    column_counts = [StatusCounts(dict(c)) for c in per_column]
    return Matrix(
        tasks=tasks, rows=rows, column_counts=column_counts, total=StatusCounts(dict(total)), task_page=page
    )


def escalated_assignments(as_of: date | None = None) -> QuerySet:
    """Assignments still overdue after repeated reminders: the city raises them at its leadership meeting."""
    as_of = as_of or timezone.localdate()
    escalated = Assignment.objects.existing_on(as_of).filter(escalated_at__isnull=False)
    return assignments_for_list(escalated, as_of).filter(status=Status.OVERDUE)


@dataclass
class Breakdown:
    """The status counts a summary page shows, all folded from one GROUP BY over the assignments."""

    total: StatusCounts
    per_lead: list  # [(Department, StatusCounts)] per lead department, by name
    per_district: list  # [(District, StatusCounts)] per district, its wards included, by code
    per_department: list  # [(Department, StatusCounts)] per assigned department, by name
    by_unit: dict  # {unit (kind, id): StatusCounts}
    per_commune: list = field(default_factory=list)  # [(Ward, StatusCounts)] units under no district, by code
    as_of: date | None = None
    reference: object = None  # the tasks.reference.Reference it was built from

    def ranking(self, min_due: int) -> list[UnitRow]:
        """The units with enough assignments due, best on-time rate first (see _ranking)."""
        return _ranking(self.by_unit, min_due, self.as_of, self.reference)


def status_breakdown(
    as_of: date, assignments: QuerySet | None = None, every_unit: bool = False, reference=None
) -> Breakdown:
    """The totals and the counts per lead department, per district (its wards included), per assigned
    department and per unit, all from one scan of the assignments (bench/: four separate scans cost
    4 × 20 ms at scale M), plus one small query per kind of unit named. With `every_unit` (a report of the
    whole map), every district and every unit under the city that existed on `as_of` has its row, with no
    work as zeros. Every assignment (`assignments` None) on a kept day: from the summary (tasks.StatusSummary)."""
    per_unit = by_lead = None
    if assignments is None:
        # Grouped in SQL by unit and by lead department: two small results rather than 5,000 rows folded here.
        per_unit = summary_counts(as_of, "department_id", "district_id", "ward_id")
        if per_unit is not None:
            by_lead = summary_counts(as_of, "lead_department_id")
    if per_unit is None or by_lead is None:
        per = grouped_counts(
            Assignment.objects.existing_on(as_of) if assignments is None else assignments, as_of,
            g_lead=F("task__lead_department"), g_dep=F("department"), g_dist=F("district"), g_ward=F("ward"),
        )  # fmt: skip
        by_lead = fold_counts(per, lambda g: g[0])
        per_unit = fold_counts(per, lambda g: g[1:])
    # Units, their districts and names of the day from the reference data the process keeps (tasks.reference).
    kept = reference or reference_objects()
    ward_district = {pk: ward.district_id for pk, ward in kept.ward.items()}
    total = fold_counts(per_unit, lambda g: 0).get(0, StatusCounts())
    by_department = fold_counts(per_unit, lambda g: g[0])
    by_district = fold_counts(per_unit, lambda g: g[1] or ward_district.get(g[2]))
    # From 01/07/2025 the commune-level units are directly under the city: they are counted one by one.
    by_commune = fold_counts(per_unit, lambda g: g[2] if g[2] and ward_district.get(g[2]) is None else None)
    by_unit = fold_counts(per_unit, lambda g: units.key_from_ids(department=g[0], district=g[1], ward=g[2]))
    if every_unit:
        for pk, district in kept.district.items():
            if district.exists_on(as_of):
                by_district.setdefault(pk, StatusCounts())
        for pk, ward in kept.ward.items():
            if ward.district_id is None and ward.exists_on(as_of):
                by_commune.setdefault(pk, StatusCounts())
    departments = kept.department
    per_lead = sorted(
        ((departments[k], c) for k, c in by_lead.items() if k is not None), key=lambda r: r[0].name
    )
    per_department = sorted(
        ((departments[k], c) for k, c in by_department.items() if k is not None), key=lambda r: r[0].name
    )
    per_district = sorted(
        ((kept.named_on("district", kept.district[k], as_of), c) for k, c in by_district.items()),
        key=lambda r: r[0].code,
    )
    per_commune = sorted(
        ((kept.named_on("ward", kept.ward[k], as_of), c) for k, c in by_commune.items()),
        key=lambda r: r[0].code,
    )
    return Breakdown(total, per_lead, per_district, per_department, by_unit, per_commune, as_of, kept)


@dataclass
class OverdueTask:
    """A task's assignments overdue on a day: [(unit, days overdue)], the longest first."""

    title: str
    due_on: date  # the earliest deadline among them (an extension moves a unit's own)
    illustrative: bool
    units: list


def overdue_by_task(as_of: date) -> list[OverdueTask]:
    """Every assignment overdue on `as_of`, grouped by task, the longest overdue first; units by the names they
    had that day. Plain values and one query per kind of unit: at scale M a quarter has 2,000 of them."""
    rows = (
        Assignment.objects.existing_on(as_of)
        .filter(status_q(Status.OVERDUE, as_of))
        .order_by("due_on", "task_id", "pk")
        .values_list(
            "task_id", "task__title", "task__deadline_is_illustrative", "due_on", "department_id", "district_id",
            "ward_id",
        )
    )  # fmt: skip
    rows = [(task, title, illustrative, due, units.key_from_ids(department=d, district=s, ward=w))
            for task, title, illustrative, due, d, s, w in rows]  # fmt: skip
    found = units.units_by_key((key for *_rest, key in rows), names_on=as_of)
    tasks: dict = {}
    for task, title, illustrative, due, key in rows:
        entry = tasks.setdefault(task, OverdueTask(title, due, illustrative, []))
        entry.units.append((found[key], (as_of - due).days))
    return list(tasks.values())
