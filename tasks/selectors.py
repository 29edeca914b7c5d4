"""Reads for pages, exports and the API. Each is built in a fixed number of SQL queries, whatever the data size."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils.translation import gettext as _

from cqdt_portal.lib.exports import CHUNK, Column
from cqdt_portal.lib.vn import fold
from org import units
from org.models import Department, UnitKind
from wards.models import District, Ward, WardKind
from wards.planning import ImportPlan

from .models import Assignment, StatusSummary, StatusSummaryDay, Task, TaskScope
from .status import Status, exists_q, status_expression, status_q


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


# The columns StatusSummary is grouped and filtered by (the only names summary_rows puts into its SQL).
SUMMARY_GROUPS = ("lead_department_id", "department_id", "district_id", "ward_id")
_KEPT = "__kept__"  # the marker row of a kept day


def summary_rows(
    day: date, groups: tuple = (), where: list | None = None, params: list | None = None
) -> list | None:
    """[(*groups, status, total)] from the summary the write services keep, for `day`, grouped by `groups` (of
    SUMMARY_GROUPS) and limited by `where` (SQL conditions on its columns, with `params`); None when `day` is not a
    kept day (services.summary_days): then the caller counts. One query: the check rides in it (UNION ALL of a
    marker row). Plain SQL: the ORM took longer to build these small queries than PostgreSQL to run them (bench/).
    """
    if not set(groups) <= set(SUMMARY_GROUPS):
        raise ValueError(f"not a summary column: {groups}")
    day_value = connection.ops.adapt_datefield_value(day)
    columns = "".join(f"{g}, " for g in groups)
    conditions = " AND ".join(["day = %s", *(where or [])])
    sql = (
        f"SELECT {columns}status, SUM(n) FROM {StatusSummary._meta.db_table} WHERE {conditions} "  # noqa: S608
        f"GROUP BY {columns}status UNION ALL SELECT {'NULL, ' * len(groups)}%s, 0 "
        f"FROM {StatusSummaryDay._meta.db_table} WHERE day = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day_value, *(params or []), _KEPT, day_value])
        found = cursor.fetchall()
    if not any(row[-2] == _KEPT for row in found):
        return None
    return [row for row in found if row[-2] != _KEPT]


def tasks_with_counts(tasks: QuerySet, as_of: date) -> QuerySet:
    """Tasks with the count per status of their assignments that existed on `as_of` (n_done_on_time, …,
    n_total)."""
    existing = exists_q(as_of, "assignments__")
    annotations = {
        f"n_{status.value}": Count("assignments", filter=existing & status_q(status, as_of, "assignments__"))
        for status in Status
    }
    return tasks.select_related("document", "lead_department").annotate(
        n_total=Count("assignments", filter=existing), **annotations
    )


def assignments_for_list(assignments: QuerySet, as_of: date | None = None, reference=None) -> QuerySet:
    """The rows of a list: the task joined, the unit and the task's document from the reference data each process
    keeps (AssignmentQuerySet.units_from_memory; `reference`: the page's tasks.reference.Reference, if any)."""
    if as_of is not None:
        assignments = assignments.with_status(as_of)
    return assignments.select_related("task").units_from_memory(reference)


def task_list(as_of: date) -> QuerySet:
    # Aggregation drops Meta.ordering, so the default order is spelled out.
    return tasks_with_counts(Task.objects.all(), as_of).order_by(
        "document__issued_on", "document__number", "due_on", "pk"
    )


def district_ward_board(district, as_of: date) -> dict:
    """A district's wards × the tasks given to its wards: each cell the assignment with its status. 3 queries."""
    wards = list(district.wards.existing_on(as_of).order_by("code"))
    assignments = list(
        Assignment.objects.filter(ward__district=district)
        .existing_on(as_of)
        .with_status(as_of)
        .select_related("task")
        .order_by("task__due_on", "task_id")
    )
    tasks = list({a.task_id: a.task for a in assignments}.values())
    cells = {(a.ward_id, a.task_id): a for a in assignments}
    rows = [(ward, [cells.get((ward.pk, task.pk)) for task in tasks]) for ward in wards]
    return {"wards": wards, "tasks": tasks, "rows": rows}


WARD_SCOPES = (TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD)
DISTRICT_SCOPES = (TaskScope.EVERY_DISTRICT, TaskScope.EVERY_DISTRICT_AND_WARD)


def units_given(task, wards: list[Ward], districts: list[District]) -> list[dict]:
    """The units a task given to every phường (or every district) reaches: those that exist at some time between
    the day it was given and its deadline, and do not end before its deadline (a unit is never given work due
    after it ended; what an ending unit already holds is handed over). A unit that began after the task was
    given receives it the day it began. A district counts when it has phường that day.
    [{"ward_id" or "district_id", "given_on", "ended": the unit's last day}]."""
    units = []

    def reaches(unit) -> bool:
        return (unit.valid_from is None or unit.valid_from <= task.due_on) and (
            unit.valid_to is None or unit.valid_to >= task.due_on
        )

    def given_on(unit):
        return max(task.given_on, unit.valid_from) if unit.valid_from else task.given_on

    phuong = [w for w in wards if w.kind == WardKind.WARD]
    if task.scope in WARD_SCOPES:
        units += [
            {"ward_id": w.pk, "given_on": given_on(w), "ended": w.valid_to} for w in phuong if reaches(w)
        ]
    if task.scope in DISTRICT_SCOPES:
        for d in districts:
            day = given_on(d)
            if reaches(d) and any(w.district_id == d.pk and w.exists_on(day) for w in phuong):
                units.append({"district_id": d.pk, "given_on": day, "ended": d.valid_to})
    return units


def new_unit_assignments(plan: ImportPlan) -> int:
    """How many assignments applying a ward list adds (services.assignments_sync_all afterwards), for its preview:
    the map as it will be (units ended the day before the list's date, new ones from that date) against the
    tasks given to every unit. A fixed number of queries, whatever the number of tasks."""
    tasks = list(Task.objects.filter(scope__in=set(WARD_SCOPES) | set(DISTRICT_SCOPES)))
    if not tasks:
        return 0
    on = plan.effective_on
    last_day = on - timedelta(days=1)
    ending = {item["code"] for item in plan.retired}
    wards, districts = list(Ward.objects.all()), list(District.objects.all())
    open_districts = {d.code: d for d in districts if d.exists_on(last_day)}
    for i, item in enumerate(plan.districts_created):
        district = District(pk=-(i + 1), code=item["code"], valid_from=on)
        districts.append(district)
        open_districts[district.code] = district
    for ward in wards:
        if ward.code in ending and ward.exists_on(last_day) and ward.valid_to is None:
            ward.valid_to = last_day
    districts_ending = {item["code"] for item in plan.districts_ended}
    for district in districts:
        if district.code in districts_ending and district.exists_on(last_day) and district.valid_to is None:
            district.valid_to = last_day
    moved = {item["code"]: item["district_code"] for item in plan.moved}
    for ward in wards:
        if ward.code in moved and ward.exists_on(last_day):
            ward.district_id = open_districts[moved[ward.code]].pk
    wards += [
        Ward(pk=-(i + 1), code=item["code"], kind=item["kind"], valid_from=on,
             district_id=open_districts[item["district_code"]].pk if item["district_code"] else None)
        for i, item in enumerate(plan.created)
    ]  # fmt: skip
    have = set(Assignment.objects.filter(task__in=tasks).values_list("task_id", "ward_id", "district_id"))
    return sum(
        (task.pk, unit.get("ward_id"), unit.get("district_id")) not in have
        for task in tasks
        for unit in units_given(task, wards, districts)
    )


def hand_over_preview(plan: ImportPlan) -> tuple[list[dict], list[tuple[int, str]]]:
    """What ending the plan's units does to their work, for the preview: for each ending unit that holds open
    assignments on its last day, how many and who receives them (nobody yet: the city decides); and a refusal
    for each ending unit holding work given after its last day (a list cannot end a unit before it was given
    work). Three queries."""
    last_day = plan.effective_on - timedelta(days=1)
    ending = {item["code"]: item for item in plan.retired}
    wards = {
        w.pk: w for w in Ward.objects.existing_on(last_day).exclude(valid_to=last_day).filter(code__in=ending)
    }
    districts_ending = {item["code"] for item in plan.districts_ended}
    districts = {
        d.pk: d
        for d in District.objects.existing_on(last_day)
        .exclude(valid_to=last_day)
        .filter(code__in=districts_ending)
    }
    names = {
        item["code"]: f"{item['code']} · {WardKind(item['kind']).label} {item['name']}"
        for item in plan.created
    }
    names |= {
        w.code: f"{w.code} · {w.full_name}"
        for w in Ward.objects.existing_on(plan.effective_on).filter(
            code__in={s["successor"] for s in plan.successions} - set(names)
        )
    }
    receivers: dict[str, set] = {}
    for succession in plan.successions:
        if succession["predecessor"]:
            receivers.setdefault(succession["predecessor"], set()).add(succession["successor"])
    for code, item in ending.items():
        receivers.setdefault(code, set()).update(item["successors"])
    rows = (
        Assignment.objects.filter(Q(ward_id__in=wards) | Q(district_id__in=districts), ended_on__isnull=True)
        .values("ward_id", "district_id")
        .annotate(
            open=Count("pk", filter=Q(completed_on__isnull=True) | Q(completed_on__gt=last_day)),
            later=Count("pk", filter=Q(given_on__gt=last_day)),
            first_later=Min("given_on", filter=Q(given_on__gt=last_day)),
        )
        .order_by()
    )
    hand_overs, refused = [], []
    for row in rows:
        unit = wards[row["ward_id"]] if row["ward_id"] else districts[row["district_id"]]
        if row["later"]:
            refused.append((0, _(
                "{unit} ({code}) có {n} việc được giao từ {day}, sau ngày cuối cùng của đơn vị theo danh mục "
                "({last_day}): không thể cho đơn vị kết thúc trước khi được giao việc."
            ).format(unit=unit.full_name, code=unit.code, n=row["later"], day=row["first_later"].strftime("%d/%m/%Y"),
                     last_day=last_day.strftime("%d/%m/%Y"))))  # fmt: skip
        if row["open"]:
            to = sorted(receivers.get(unit.code, ())) if row["ward_id"] else []
            hand_overs.append({
                "code": unit.code, "name": unit.full_name, "open": row["open"],
                "to": [names.get(code, code) for code in to],
            })  # fmt: skip
    hand_overs.sort(key=lambda item: (not item["to"], item["code"]))
    return hand_overs, refused


ASSIGNMENT_COLUMNS = [
    Column("Văn bản", 14, wrap=True),
    Column("Mục", 8),
    Column("Nhiệm vụ", 46, wrap=True),
    Column("Đơn vị chủ trì", 22, wrap=True),
    Column("Loại đơn vị", 12, wrap=True),
    Column("Đơn vị thực hiện", 24, wrap=True),
    Column("Quận, thị xã", 16, wrap=True),
    Column("Thời hạn", 11, "date"),
    Column("Hạn minh hoạ", 9),
    Column("Thời hạn ban đầu", 11, "date"),
    Column("Tiến độ (%)", 8, "number"),
    Column("Ngày hoàn thành", 11, "date"),
    Column("Tình trạng", 20, wrap=True),
    Column("Báo cáo gần nhất", 16, "date"),
]


def assignment_export_facts(assignments: QuerySet) -> tuple[set[str], int]:
    """For the title block and the columns of an export, in one query: the headers of the columns that nothing
    in `assignments` fills (the plan's tasks carry no section numbers; since 01/07/2025 there are no districts; a
    list may hold no extension, nothing done, no report), and how many rows have an illustrative deadline."""
    facts = assignments.order_by().aggregate(
        sections=Count("pk", filter=~Q(task__section="")),
        districts=Count("pk", filter=Q(district__isnull=False) | Q(ward__district__isnull=False)),
        illustrative=Count("pk", filter=Q(task__deadline_is_illustrative=True)),
        extended=Count("original_due_on"),
        completed=Count("completed_on"),
        reported=Count("last_reported_at"),
    )
    headers = {
        "sections": "Mục",
        "districts": "Quận, thị xã",
        "illustrative": "Hạn minh hoạ",
        "extended": "Thời hạn ban đầu",
        "completed": "Ngày hoàn thành",
        "reported": "Báo cáo gần nhất",
    }
    return {header for key, header in headers.items() if not facts[key]}, facts["illustrative"]


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
        UnitKind.WARD.value: {w.pk: (str(w), districts.get(w.district_id, "")) for w in Ward.objects.all()},
    }
    query = assignments.values_list(
        "task__document__number", "task__section", "task__title", "task__lead_department_id",
        "task__lead_label", "department_id", "district_id", "ward_id", "due_on", "task__deadline_is_illustrative",
        "original_due_on", "percent", "completed_on", "status", "last_reported_at",
    )  # fmt: skip
    for (number, section, title, lead_id, lead_label, department_id, district_id, ward_id, due_on, illustrative,
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
            "minh hoạ" if illustrative else "",
            original_due_on,
            percent,
            completed_on,
            labels[status],
            last_reported_at,
        )


def grouped_counts(assignments: QuerySet, as_of: date, **group) -> dict:
    """{group value (tuple if several): StatusCounts} in one GROUP BY query."""
    names = list(group)
    rows = (
        assignments.order_by()
        .annotate(status_at=status_expression(as_of), **group)
        .values(*names, "status_at")
        .annotate(n=Count("pk"))
    )
    result: dict = {}
    for row in rows:
        key = row[names[0]] if len(names) == 1 else tuple(row[n] for n in names)
        result.setdefault(key, StatusCounts()).add(row["status_at"], row["n"])
    return result


def summary_counts(day: date, *fields: str) -> dict | None:
    """Like grouped_counts() over every assignment that existed on `day`, grouped by StatusSummary's `fields`
    (lead_department_id, department_id, district_id, ward_id), read from the summary the write
    services keep; None when `day` is not a kept day (services.summary_days): then the caller counts. One small
    query instead of a scan of every assignment (summary_rows); grouped in SQL, so the fewer the fields, the fewer
    rows come back (every field: about 5,000 rows a day at scale M)."""
    rows = summary_rows(day, fields)
    if rows is None:
        return None
    result: dict = {}
    one = len(fields) == 1
    for row in rows:
        key = row[0] if one else row[:-2]
        counts = result.get(key)
        if counts is None:
            counts = result[key] = StatusCounts()
        counts.add(row[-2], row[-1])
    return result


def fold_counts(per: dict, key) -> dict:
    """Counts keyed by a tuple of groups, summed by key(group tuple); a None key is left out."""
    result: dict = {}
    for group, counts in per.items():
        k = key(group)
        if k is None:
            continue
        target = result.setdefault(k, StatusCounts())
        for status, n in counts.by_status.items():
            target.add(status, n)
    return result


@dataclass
class DepartmentRow:
    department: object
    as_lead: StatusCounts  # the assignments of the tasks it leads (chủ trì), whoever carries them out
    as_assignee: StatusCounts  # the assignments given to the department itself


def department_counts(as_of: date) -> list[DepartmentRow]:
    """Every department that existed on `as_of` and leads or holds assignments, with its counts in both roles,
    from one GROUP BY over the assignments that existed that day."""
    per = grouped_counts(
        Assignment.objects.existing_on(as_of), as_of, g_lead=F("task__lead_department"), g_dep=F("department")
    )
    as_lead, as_assignee = fold_counts(per, lambda g: g[0]), fold_counts(per, lambda g: g[1])
    departments = Department.objects.existing_on(as_of).filter(pk__in=set(as_lead) | set(as_assignee))
    return [
        DepartmentRow(d, as_lead.get(d.pk, StatusCounts()), as_assignee.get(d.pk, StatusCounts()))
        for d in departments.order_by("name")
    ]


@dataclass
class Lineage:
    """Where a commune-level unit came from and where it went, with the acts (empty for other units)."""

    came_from: list = field(default_factory=list)  # [Succession] into this unit
    went_to: list = field(default_factory=list)  # [Succession] out of it


def unit_lineage(unit) -> Lineage:
    if not isinstance(unit, Ward):
        return Lineage()
    return Lineage(
        came_from=list(unit.predecessions.select_related("predecessor__district")),
        went_to=list(unit.successions.select_related("successor")),
    )


def units_matching(query: str, limit: int = 100) -> list:
    """Every unit, of any day, whose code is `query` or whose name contains it (ignoring diacritics): a code may
    have named several units one after the other. Districts first, then by code and first day."""
    phrase = " ".join(fold(query).split())
    found = []
    for model in (District, Ward):
        queryset = model.objects.filter(Q(code=query.strip()) | Q(name__vn__contains=phrase))
        if model is Ward:
            queryset = queryset.select_related("district")
        found += list(queryset.order_by("code", "valid_from")[:limit])
    return found[:limit]


def map_changes() -> list[dict]:
    """The days the map changed, newest first: how many units ended the day before and began that day, and by
    which acts. Two small GROUP BY queries."""
    days: dict = {}
    for model in (Ward, District):
        for row in (
            model.objects.filter(valid_to__isnull=False)
            .values("valid_to", "ended_by")
            .annotate(n=Count("pk"))
        ):
            entry = days.setdefault(
                row["valid_to"] + timedelta(days=1), {"ended": 0, "began": 0, "acts": set()}
            )
            entry["ended"] += row["n"]
            if row["ended_by"]:
                entry["acts"].add(row["ended_by"])
        for row in (
            model.objects.filter(valid_from__isnull=False).values("valid_from").annotate(n=Count("pk"))
        ):
            days.setdefault(row["valid_from"], {"ended": 0, "began": 0, "acts": set()})["began"] += row["n"]
    return [
        {"on": day, "last_day": day - timedelta(days=1), **entry, "acts": sorted(entry["acts"])}
        for day, entry in sorted(days.items(), reverse=True)
    ]
