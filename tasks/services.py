"""Writes of the plan: seeding a plan's tasks, giving tasks to every unit, and the two imports that change the plan
(a plan's task list, and the official ward list, whose new units receive the tasks given to every unit)."""

from datetime import date

from django.db import transaction

from cqdt_portal.lib.reference_data import parse_date
from cqdt_portal.lib.seeding import upsert
from cqdt_portal.lib.staged_import import import_apply, import_stage, refuse_unless_applicable
from org.models import Department
from plans.models import LegalDocument
from wards.models import District, Ward, WardImport
from wards.services import ward_changes_write, ward_list_plan

from .imports import TaskPlan, WardListPlan, plan_tasks, row_values
from .models import Assignment, Task, TaskImport, TaskScope
from .selectors import new_unit_assignments


def assignments_sync(*, task: Task) -> int:
    """Give a task scoped to "every district/ward" to each active unit that lacks it. Returns how many were added.

    Existing assignments, those of retired wards included, are kept as they are.
    """
    units = []
    if task.scope in (TaskScope.EVERY_DISTRICT, TaskScope.EVERY_DISTRICT_AND_WARD):
        have = set(task.assignments.filter(district__isnull=False).values_list("district_id", flat=True))
        units += [
            {"district": d}
            for d in District.objects.active().filter(wards__isnull=False).distinct()
            if d.pk not in have
        ]
    if task.scope in (TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD):
        have = set(task.assignments.filter(ward__isnull=False).values_list("ward_id", flat=True))
        units += [{"ward": w} for w in Ward.objects.active() if w.pk not in have]
    Assignment.objects.bulk_create(
        [Assignment(task=task, due_on=task.due_on, original_due_on=task.due_on, **unit) for unit in units]
    )
    return len(units)


def assignments_sync_all() -> int:
    """assignments_sync() for every task given to every ward or district, in a fixed number of queries:
    the missing (task, unit) pairs are found as sets and created in bulk. Returns how many were added."""
    ward_scopes = (TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD)
    district_scopes = (TaskScope.EVERY_DISTRICT, TaskScope.EVERY_DISTRICT_AND_WARD)
    tasks = list(
        Task.objects.filter(scope__in=set(ward_scopes) | set(district_scopes)).only("pk", "scope", "due_on")
    )
    wards = list(Ward.objects.active().values_list("pk", flat=True))
    districts = list(
        District.objects.active().filter(wards__isnull=False).distinct().values_list("pk", flat=True)
    )
    existing = Assignment.objects.filter(task__in=tasks)
    have_wards = set(existing.filter(ward__isnull=False).values_list("task_id", "ward_id"))
    have_districts = set(existing.filter(district__isnull=False).values_list("task_id", "district_id"))
    new = []
    for task in tasks:
        due = {"due_on": task.due_on, "original_due_on": task.due_on}
        if task.scope in ward_scopes:
            new += [Assignment(task=task, ward_id=w, **due) for w in wards if (task.pk, w) not in have_wards]
        if task.scope in district_scopes:
            new += [
                Assignment(task=task, district_id=d, **due)
                for d in districts
                if (task.pk, d) not in have_districts
            ]
    Assignment.objects.bulk_create(new, batch_size=2000)
    return len(new)


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
                    task=task, department=department, due_on=due_on, original_due_on=due_on
                )
                added += 1
        counts["assignments_created"] = counts.get("assignments_created", 0) + added
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
    for row in plan.rows:
        task, _outcome = upsert(
            Task,
            lookup={"document": documents[row.document], "title": row.title},
            values=row_values(row, departments),
        )
        coordinating = [departments[code] for code in row.coordinating]
        if set(task.coordinating_departments.all()) != set(coordinating):
            task.coordinating_departments.set(coordinating)
        assignments_sync(task=task)
        lead = departments.get(row.lead_department)
        if row.scope == TaskScope.UNITS and lead and not task.assignments.filter(department=lead).exists():
            Assignment.objects.create(
                task=task, department=lead, due_on=task.due_on, original_due_on=task.due_on
            )


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
    *, file_name: str, content: bytes, province_code: str, effective_on: date, by=None
) -> tuple[WardImport, WardListPlan]:
    """Read an official ward list and keep it, unapplied, with what it will do to the units and to the tasks
    (the assignments new wards receive). Raises WardFileError for an unreadable file."""
    _ward_list, units_plan = ward_list_plan(
        content=content, province_code=province_code, effective_on=effective_on
    )
    plan = WardListPlan(units=units_plan, new_assignments=new_unit_assignments(units_plan))
    ward_import = import_stage(
        log_model=WardImport,
        plan=plan,
        file_name=file_name,
        content=content,
        by=by,
        province_code=province_code,
        effective_on=effective_on,
    )
    return ward_import, plan


def ward_list_apply(
    *, ward_import: WardImport, successors: dict[str, list[str]] | None = None
) -> WardListPlan:
    """Apply a staged ward list in one transaction, exactly as previewed: the units change (nothing is deleted)
    and every task given to every ward or district reaches the units that now lack it. `successors` (from the
    preview) says where retired wards went."""
    read = {}

    def replan(log: WardImport) -> WardListPlan:
        read["list"], units_plan = ward_list_plan(
            content=bytes(log.content),
            province_code=log.province_code,
            effective_on=log.effective_on,
            successors=successors,
            lock=True,
        )
        return WardListPlan(units=units_plan, new_assignments=new_unit_assignments(units_plan))

    def write(plan: WardListPlan, log: WardImport) -> None:
        ward_changes_write(plan=plan.units, ward_list=read["list"], ward_import=log)
        assignments_sync_all()

    return import_apply(log=ward_import, replan=replan, write=write)


@transaction.atomic
def ward_list_import(
    *, file_name: str, content: bytes, province_code: str, effective_on: date, by=None
) -> tuple[WardImport, WardListPlan]:
    """Stage and apply at once (the management command): all of it or, on any refusal, nothing."""
    ward_import, plan = ward_list_stage(
        file_name=file_name, content=content, province_code=province_code, effective_on=effective_on, by=by
    )
    refuse_unless_applicable(plan)
    return ward_import, ward_list_apply(ward_import=ward_import)
