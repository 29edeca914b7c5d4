"""Writes of the plan: seeding a plan's tasks, giving tasks to every unit, and the two imports that change the plan
(a plan's task list, and the official ward list, whose new units receive the tasks given to every unit)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cqdt_portal.lib.periods import last_ended
from cqdt_portal.lib.reference_data import parse_date
from cqdt_portal.lib.seeding import upsert
from cqdt_portal.lib.staged_import import import_apply, import_stage, refuse_unless_applicable
from org.models import Department
from plans.models import LegalDocument
from wards.models import District, Succession, Ward, WardImport
from wards.services import UnitChanges, WrittenChanges, import_changes, unit_changes_write, ward_list_plan

from . import notices
from .imports import TaskPlan, WardListPlan, plan_tasks, row_values, ward_list_effects
from .models import Assignment, StatusSummary, StatusSummaryDay, Task, TaskImport, TaskScope
from .selectors import DISTRICT_SCOPES, WARD_SCOPES, units_given
from .status import status_expression


def _new_assignment(task, unit: dict) -> Assignment:
    unit = dict(unit)
    ended = unit.pop("ended")
    return Assignment(
        task=task,
        # Given to a unit that has since ended: the assignment ended with it (its open work was handed over then).
        ended_on=ended,
        due_on=task.due_on,
        original_due_on=task.due_on,
        **unit,
    )


def assignments_sync(*, task: Task) -> int:
    """Give a task scoped to "every district/ward" to each unit it reaches (see _units_given) that lacks it.
    Returns how many were added. Existing assignments are kept as they are."""
    return assignments_sync_all(tasks=[task])


def assignments_sync_all(tasks=None) -> int:
    """assignments_sync() for every task given to every ward or district (or those given), in a fixed number of
    queries: the missing (task, unit) pairs are found as sets and created in bulk. Returns how many were added."""
    if tasks is None:
        tasks = Task.objects.filter(scope__in=set(WARD_SCOPES) | set(DISTRICT_SCOPES))
    tasks = [t for t in tasks if t.scope in set(WARD_SCOPES) | set(DISTRICT_SCOPES)]
    if not tasks:
        return 0
    wards, districts = list(Ward.objects.all()), list(District.objects.all())
    have = set(Assignment.objects.filter(task__in=tasks).values_list("task_id", "ward_id", "district_id"))
    new = []
    for task in tasks:
        for unit in units_given(task, wards, districts):
            if (task.pk, unit.get("ward_id"), unit.get("district_id")) not in have:
                new.append(_new_assignment(task, unit))
    Assignment.objects.bulk_create(new, batch_size=2000)
    notices.assignments_given(new)
    return len(new)


@dataclass
class HandOver:
    """What ending some units did to their assignments."""

    ended: int = 0  # assignments that ended with their unit
    handed_over: int = 0  # of those, still open and passed to successors
    created: int = 0  # new assignments of the successors
    awaiting: list[int] = field(default_factory=list)  # open, the unit's successors unknown: the city decides


def assignments_hand_over(*, written: WrittenChanges) -> HandOver:
    """The units `written` ended hand over their work (Nghị quyết 190/2025/QH15: the receiving body takes over
    the tasks of a reorganised one). Each assignment of an ended unit ends on the unit's last day; one still
    open that day passes to every successor that received all or part of the unit, as a new assignment given
    the day the successor began, with the earliest deadline among what it takes over, linked to where it came
    from. Completed ones stay where they were. Where nobody is recorded as successor, the open assignment waits
    for the city to decide (tasks.selectors.assignments_awaiting_decision). A fixed number of queries."""
    result = HandOver()
    units = Q(ward_id__in=written.ended_ward_ids) | Q(district_id__in=written.ended_district_ids)
    if not (written.ended_ward_ids or written.ended_district_ids):
        return result
    last_day = written.effective_on - timedelta(days=1)
    ending = list(
        Assignment.objects.filter(units, ended_on__isnull=True).select_related("task", "ward", "district")
    )
    if any(a.given_on > last_day for a in ending):
        raise ValueError("an ending unit has assignments given after its last day")
    Assignment.objects.filter(pk__in=[a.pk for a in ending]).update(ended_on=last_day)
    for assignment in ending:
        assignment.ended_on = last_day
    result.ended = len(ending)
    open_ = [a for a in ending if a.completed_on is None or a.completed_on > last_day]
    successors: dict[int, list[Ward]] = {}
    for succession in Succession.objects.filter(
        predecessor_id__in=written.ended_ward_ids, effective_on=written.effective_on
    ).select_related("successor"):
        successors.setdefault(succession.predecessor_id, []).append(succession.successor)
    sources: dict[tuple[int, int], list[Assignment]] = {}
    for assignment in open_:
        receivers = successors.get(assignment.ward_id, []) if assignment.ward_id else []
        if not receivers:
            result.awaiting.append(assignment.pk)
            continue
        result.handed_over += 1
        for ward in receivers:
            sources.setdefault((assignment.task_id, ward.pk), []).append(assignment)
    receiving = {(a.task_id, a.ward_id): a for a in Assignment.objects.filter(
        ward_id__in={ward for _task, ward in sources}, task_id__in={task for task, _ward in sources}
    )}  # fmt: skip
    new = []
    for (task_id, ward_id), taken in sources.items():
        if (task_id, ward_id) not in receiving:
            new.append(
                Assignment(
                    task_id=task_id,
                    ward_id=ward_id,
                    given_on=written.effective_on,
                    due_on=min(a.due_on for a in taken),
                    original_due_on=min(a.original_due_on for a in taken),
                    # The least progress among what it takes over: the new unit reports from there.
                    percent=min(a.percent for a in taken),
                )
            )
    created = Assignment.objects.bulk_create(new)
    result.created = len(created)
    receiving |= {(a.task_id, a.ward_id): a for a in created}
    links = Assignment.handed_over_from.through
    links.objects.bulk_create(
        [
            links(from_assignment_id=receiving[key].pk, to_assignment_id=source.pk)
            for key, taken in sources.items()
            for source in taken
        ],
        ignore_conflicts=True,
    )
    notices.assignments_received({receiving[key]: taken for key, taken in sources.items()})
    return result


@transaction.atomic
def reorganisation_apply(*, changes: UnitChanges) -> tuple[WrittenChanges, HandOver]:
    """Change the map (wards.services.unit_changes_write), hand over the work of the units that end, and give
    the new units the tasks for every unit still running."""
    written = unit_changes_write(changes=changes)
    handed = assignments_hand_over(written=written)
    assignments_sync_all()
    status_summary_refresh()
    return written, handed


@transaction.atomic
def assignment_hand_over(*, assignment: Assignment, to: list[Ward], by=None) -> list[Assignment]:
    """The city's decision for an assignment whose unit ended with no successor on record: it passes to the
    units chosen, which must exist the day after it ended."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.ended_on is None or not locked.was_handed_over or locked.handed_over_to.exists():
        raise ValidationError(_("Việc này không chờ quyết định chuyển giao."), code="not_awaiting")
    day = locked.ended_on + timedelta(days=1)
    if not to or any(not ward.exists_on(day) for ward in to):
        raise ValidationError(
            _("Chọn đơn vị nhận còn tồn tại từ ngày {day}.").format(day=day.strftime("%d/%m/%Y")), code="unit"
        )
    received = []
    for ward in to:
        target, _created = Assignment.objects.get_or_create(
            task=locked.task,
            ward=ward,
            defaults={
                "given_on": day,
                "due_on": locked.due_on,
                "original_due_on": locked.original_due_on,
                "percent": locked.percent,
            },
        )
        target.handed_over_from.add(locked)
        received.append(target)
    notices.assignments_received({target: [locked] for target in received})
    status_summary_refresh(assignments=Assignment.objects.filter(pk__in=[a.pk for a in received]))
    return received


@transaction.atomic
def plan_tasks_seed(*, document_number: str, tasks: list[dict]) -> dict:
    """Create or update a plan's tasks and their assignments (one per unit; one per active ward for "every ward")."""
    document = LegalDocument.objects.get(number=document_number)
    counts: dict = {}
    for item in tasks:
        lead = Department.objects.get(code=item["lead"]) if item.get("lead") else None
        due_on = parse_date(item["due_on"])
        task, outcome = upsert(
            Task,
            lookup={"document": document, "title": item["title"]},
            values={
                "section": item.get("section", ""),
                "description": item.get("description", ""),
                "lead_department": lead,
                "lead_label": item.get("lead_label", ""),
                "coordination_note": item.get("coordination_note", ""),
                "scope": item["scope"],
                # A plan's own tasks are given on the plan's date; a file may give another day.
                "given_on": parse_date(item.get("given_on")) or document.issued_on,
                "due_on": due_on,
                "deadline_is_illustrative": item.get("deadline_is_illustrative", False),
                "is_illustrative": item.get("is_illustrative", False),
            },
            counts=counts,
        )
        coordinating = Department.objects.filter(code__in=item.get("coordinating", []))
        if set(task.coordinating_departments.all()) != set(coordinating):
            task.coordinating_departments.set(coordinating)
        added = assignments_sync(task=task)
        for department in Department.objects.filter(code__in=item.get("assign_to", [])):
            if not task.assignments.filter(department=department).exists():
                Assignment.objects.create(
                    task=task,
                    department=department,
                    given_on=task.given_on,
                    due_on=due_on,
                    original_due_on=due_on,
                )
                added += 1
        counts["assignments_created"] = counts.get("assignments_created", 0) + added
    status_summary_refresh()
    return counts


def tasks_import_stage(*, file_name: str, content: bytes, by=None) -> tuple[TaskImport, TaskPlan]:
    """Read a plan's task list and keep it, unapplied, for its preview. Raises TaskFileError if unreadable."""
    plan = plan_tasks(content)
    return import_stage(log_model=TaskImport, plan=plan, file_name=file_name, content=content, by=by), plan


def _tasks_write(plan: TaskPlan, _log: TaskImport) -> None:
    """Tasks are created or updated; assignments are only ever added."""
    departments = {d.code: d for d in Department.objects.all()}
    documents = {
        d.number: d for d in LegalDocument.objects.filter(number__in={r.document for r in plan.rows})
    }
    given = dict(
        Task.objects.filter(
            document__number__in=documents, title__in={r.title for r in plan.rows}
        ).values_list("title", "given_on")
    )
    for row in plan.rows:
        values = row_values(row, departments)
        # A task keeps the day it was given unless the file says otherwise; a new one is given today.
        values.setdefault("given_on", given.get(row.title) or timezone.localdate())
        task, _outcome = upsert(
            Task, lookup={"document": documents[row.document], "title": row.title}, values=values
        )
        coordinating = [departments[code] for code in row.coordinating]
        if set(task.coordinating_departments.all()) != set(coordinating):
            task.coordinating_departments.set(coordinating)
        assignments_sync(task=task)
        lead = departments.get(row.lead_department)
        if row.scope == TaskScope.UNITS and lead and not task.assignments.filter(department=lead).exists():
            given = Assignment.objects.create(
                task=task,
                department=lead,
                given_on=task.given_on,
                due_on=task.due_on,
                original_due_on=task.due_on,
            )
            notices.assignments_given([given])
    status_summary_refresh()


def tasks_import_apply(*, task_import: TaskImport) -> TaskPlan:
    """Apply a staged task list in one transaction, exactly as previewed (cqdt_portal.lib.staged_import)."""
    return import_apply(
        log=task_import, replan=lambda log: plan_tasks(bytes(log.content)), write=_tasks_write
    )


@transaction.atomic
def tasks_import(*, file_name: str, content: bytes, by=None) -> tuple[TaskImport, TaskPlan]:
    """Stage and apply at once (the management command): all of it or nothing."""
    task_import, plan = tasks_import_stage(file_name=file_name, content=content, by=by)
    refuse_unless_applicable(plan)
    return task_import, tasks_import_apply(task_import=task_import)


def ward_list_stage(
    *,
    file_name: str,
    content: bytes,
    province_code: str,
    effective_on: date,
    mapping_file_name: str = "",
    mapping_content: bytes | None = None,
    legal_basis: str = "",
    correction: bool = False,
    by=None,
) -> tuple[WardImport, WardListPlan]:
    """Read an official ward list (and its mapping of old units to new ones) and keep it, unapplied, with what
    it will do to the units and to the tasks (the assignments new units receive, the work the ending units hand
    over). Raises WardFileError for an unreadable file."""
    _ward_list, units_plan = ward_list_plan(
        content=content,
        province_code=province_code,
        effective_on=effective_on,
        mapping_content=mapping_content,
        correction=correction,
    )
    plan = ward_list_effects(units_plan)
    ward_import = import_stage(
        log_model=WardImport,
        plan=plan,
        file_name=file_name,
        content=content,
        by=by,
        province_code=province_code,
        effective_on=effective_on,
        legal_basis=legal_basis,
        correction=correction,
        mapping_file_name=mapping_file_name[:255],
        mapping_content=mapping_content,
    )
    return ward_import, plan


def ward_list_apply(
    *, ward_import: WardImport, successors: dict[str, list[str]] | None = None
) -> WardListPlan:
    """Apply a staged ward list in one transaction, exactly as previewed: the units change (nothing is deleted),
    the ending units hand over their open work, and every task given to every ward or district reaches the
    units that now lack it. `successors` (from the preview) says where ended wards went."""
    read = {}

    def replan(log: WardImport) -> WardListPlan:
        read["list"], units_plan = ward_list_plan(
            content=bytes(log.content),
            province_code=log.province_code,
            effective_on=log.effective_on,
            successors=successors,
            mapping_content=bytes(log.mapping_content) if log.mapping_content else None,
            correction=log.correction,
            lock=True,
        )
        return ward_list_effects(units_plan)

    def write(plan: WardListPlan, log: WardImport) -> None:
        changes = import_changes(plan=plan.units, ward_list=read["list"], legal_basis=log.legal_basis)
        assignments_hand_over(written=unit_changes_write(changes=changes, ward_import=log))
        assignments_sync_all()
        status_summary_refresh()

    return import_apply(log=ward_import, replan=replan, write=write)


@transaction.atomic
def ward_list_import(**staging) -> tuple[WardImport, WardListPlan]:
    """Stage and apply at once (the management command): all of it or, on any refusal, nothing. Takes
    ward_list_stage's arguments."""
    ward_import, plan = ward_list_stage(**staging)
    refuse_unless_applicable(plan)
    return ward_import, ward_list_apply(ward_import=ward_import)


# One lock for every write of the summary (PostgreSQL advisory lock; SQLite writes one at a time anyway).
SUMMARY_LOCK = 0x5A3E_0012


def summary_days(today: date) -> set[date]:
    """The days whose summary is kept: today (the dashboard), and the cut-off of the last ended quarter (the
    period report's first view). Each write recounts its units for each; other days are counted by the page."""
    return {today, last_ended("quarter", today).end}


SUMMARY_KEY = (
    "day",
    "lead_department_id",
    "department_id",
    "district_id",
    "ward_id",
    "status",
)


def _summary_count(assignments: QuerySet, day: date) -> dict[tuple, int]:
    """{SUMMARY_KEY values: n} of the assignments that existed on `day`, by their status that day."""
    rows = (
        assignments.existing_on(day)
        .order_by()
        .annotate(status_at=status_expression(day))
        .values_list(
            "task__lead_department_id",
            "department_id",
            "district_id",
            "ward_id",
            "status_at",
        )
        .annotate(n=Count("pk"))
    )
    return {(day, *row[:-1]): row[-1] for row in rows}


def status_summary_refresh(*, assignments: QuerySet | None = None) -> None:
    """Recounts the summary (StatusSummary) of the units holding `assignments`, or of every unit, for each day
    kept; counts a day to keep whole (a new day, a new period) and forgets days no longer kept.

    Every write that changes which assignments exist, their unit, task, deadline or completion, or a task's
    document or lead department, calls it last in its transaction with the assignments it wrote (before any
    other lock, so that writers queue here rather than deadlock). Pages read the summary only for a kept day and
    count the assignments themselves otherwise. tests/tasks/test_status_summary.py holds each kind of write to a
    recount."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SUMMARY_LOCK])
        wanted = summary_days(timezone.localdate())
        kept = set(StatusSummaryDay.objects.values_list("day", flat=True))
        gone = kept - wanted
        StatusSummary.objects.filter(day__in=gone).delete()
        StatusSummaryDay.objects.filter(day__in=gone).delete()
        scope, rows = Assignment.objects.all(), StatusSummary.objects.filter(day__in=kept & wanted)
        if assignments is not None:
            units = set(
                assignments.order_by().values_list("department_id", "district_id", "ward_id").distinct()
            )
            mine = (
                Q(department_id__in={u[0] for u in units if u[0]})
                | Q(district_id__in={u[1] for u in units if u[1]})
                | Q(ward_id__in={u[2] for u in units if u[2]})
            )
            scope, rows = scope.filter(mine), rows.filter(mine)
        # Only what changed is written: a write that moves nothing (seed run twice) leaves the rows as they were.
        counted = {key: n for day in kept & wanted for key, n in _summary_count(scope, day).items()}
        have = {row[1:-1]: (row[0], row[-1]) for row in rows.values_list("pk", *SUMMARY_KEY, "n")}
        rows.filter(pk__in=[pk for key, (pk, _n) in have.items() if key not in counted]).delete()
        StatusSummary.objects.bulk_update(
            [StatusSummary(pk=pk, n=counted[key]) for key, (pk, n) in have.items() if counted.get(key, n) != n],
            ["n"], batch_size=2000,
        )  # fmt: skip
        for day in wanted - kept:
            counted |= _summary_count(Assignment.objects.all(), day)
        StatusSummary.objects.bulk_create(
            [StatusSummary(**dict(zip(SUMMARY_KEY, key, strict=True)), n=n) for key, n in counted.items() if key not in have],
            batch_size=2000,
        )  # fmt: skip
        now = timezone.now()
        StatusSummaryDay.objects.bulk_create(
            [StatusSummaryDay(day=day, counted_at=now) for day in wanted - kept]
        )
