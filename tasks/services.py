from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cqdt_portal.reference_data import parse_date
from cqdt_portal.seeding import upsert
from plans.models import LegalDocument
from wards.models import District, Ward

from .models import Assignment, Department, ProgressUpdate, Task, TaskScope


class StaleVersion(Exception):
    """The assignment changed since the form was read; the caller shows the newer state."""


@transaction.atomic
def departments_seed(*, departments: list[dict]) -> dict:
    counts: dict = {}
    for item in departments:
        upsert(
            Department,
            lookup={"code": item["code"]},
            values={"name": item["name"], "short_name": item.get("short_name", ""), "kind": item["kind"]},
            counts=counts,
        )
    return counts


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


@transaction.atomic
def progress_report(
    *,
    assignment: Assignment,
    by,
    percent: int,
    note: str = "",
    completed_on: date | None = None,
    outgoing_number: str = "",
    outgoing_date: date | None = None,
    expected_version: int | None = None,
    reported_at: datetime | None = None,
) -> ProgressUpdate:
    """Record a unit's report and move the assignment's progress. Refuses a stale form (expected_version).

    A report of 100 % completes the assignment on `completed_on` (default: the report's date) and needs a note.
    """
    reported_at = reported_at or timezone.now()
    report_day = timezone.localdate(reported_at)
    errors = {}
    if not 0 <= percent <= 100:
        errors["percent"] = "Tiến độ phải từ 0 đến 100%."
    if percent == 100:
        completed_on = completed_on or report_day
        if not note.strip():
            errors["note"] = "Báo cáo hoàn thành cần có nội dung hoặc tài liệu kèm theo."
    elif completed_on is not None:
        errors["completed_on"] = "Chỉ ghi ngày hoàn thành khi tiến độ là 100%."
    if completed_on and completed_on > report_day:
        errors["completed_on"] = "Ngày hoàn thành không được sau ngày báo cáo."
    if outgoing_date and outgoing_date > report_day:
        errors["outgoing_date"] = "Ngày văn bản không được sau ngày báo cáo."
    if errors:
        raise ValidationError(errors)

    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion()
    update = ProgressUpdate.objects.create(
        assignment=locked,
        author=by,
        reported_at=reported_at,
        percent=percent,
        note=note,
        completed_on=completed_on,
        outgoing_number=outgoing_number,
        outgoing_date=outgoing_date,
    )
    locked.percent = percent
    locked.completed_on = completed_on
    locked.last_reported_at = reported_at
    locked.version += 1
    locked.save(update_fields=["percent", "completed_on", "last_reported_at", "version"])
    assignment.refresh_from_db()
    return update
