"""Pages of the plan: documents and their tasks, tasks, the filtered list of assignments and its exports, units and
their assignments. Every signed-in user may read them."""

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cqdt_portal.lib.exports import EXPORT_FORMATS, Sheet, export_response
from cqdt_portal.lib.filter_words import filters_in_words
from cqdt_portal.lib.lifespan import existing_q
from cqdt_portal.lib.vn import parse_day
from org import units
from org.models import UnitKind
from plans.models import LegalDocument
from wards.models import District, Ward

from . import list_selectors, selectors
from .filters import AssignmentFilter, TaskFilter
from .models import Assignment, Task
from .status import Status

PAGE_SIZE = 50


def assignment_list(request, fmt=None):
    """The filtered list of assignments; the same filters give the .xlsx and .csv exports."""
    filterset = AssignmentFilter(request.GET, queryset=Assignment.objects.all(), request=request)
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        as_of = filterset.as_of_date
        empty, illustrative = selectors.assignment_export_facts(filterset.qs)
        sheet = Sheet(
            title="Danh sách giao nhiệm vụ",
            name=f"giao-viec-{as_of:%Y%m%d}",
            as_of=as_of,
            filters=filters_in_words(filterset.form),
            made_by=str(request.user),
            illustrative=illustrative,
        )
        rows = selectors.assignment_rows(filterset.qs)
        return export_response(fmt, sheet, selectors.ASSIGNMENT_COLUMNS, rows, empty=empty)
    counts = list_selectors.list_status_counts(filterset)
    paginator = Paginator(
        selectors.assignments_for_list(filterset.qs, reference=filterset.reference), PAGE_SIZE
    )
    paginator.count = counts.total  # every row has one status: the same number, without a second COUNT
    page = paginator.get_page(request.GET.get("page"))
    rows = list_selectors.light_rows(page.object_list, filterset.reference)
    if rows is not None:
        page.object_list = rows
    return render(
        request,
        "tasks/assignment_list.html",
        {
            "filter": filterset,
            "page": page,
            "as_of": filterset.as_of_date,
            "counts": counts,
            "count_params": request.GET,
        },
    )


def task_list(request):
    today = timezone.localdate()
    filterset = TaskFilter(request.GET, queryset=selectors.task_list(today), request=request)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/task_list.html",
        {"filter": filterset, "page": page, "today": today, "statuses": list(Status)},
    )


def task_detail(request, pk):
    today = timezone.localdate()
    task = get_object_or_404(Task.objects.select_related("document", "lead_department"), pk=pk)
    assignments = selectors.assignments_for_list(task.assignments.all(), today).order_by(
        "department__name", "district__code", "ward__district__code", "ward__code"
    )
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "coordinating": task.coordinating_departments.all(),
            "counts": selectors.status_counts(task.assignments.all(), today),
            "count_params": {"task": task.pk},
            "page": page,
            "today": today,
        },
    )


def _day(request, default: date) -> date:
    """The day a page shows (`?as_of=`, dd/mm/yyyy or yyyy-mm-dd), else `default`."""
    return parse_day(request.GET.get("as_of")) or default


def department_list(request):
    """The departments, with how each stands as lead unit and as assignee (each rate labelled), as of a day."""
    as_of = _day(request, timezone.localdate())
    return render(
        request,
        "tasks/department_list.html",
        {"rows": selectors.department_counts(as_of), "as_of": as_of, "statuses": list(Status)},
    )


def unit_detail(request, kind, code):
    """One unit's page: its lifespan, where it came from and went, and its assignments with their status as of a
    day (today while it exists, else its last day). A district's page includes its wards'."""
    today = timezone.localdate()
    unit = units.unit_by_slug(kind, code, parse_day(request.GET.get("as_of")))
    if unit is None:
        raise Http404
    as_of = _day(request, today if unit.exists_on(today) else (unit.valid_to or today))
    field = units.kind_of(unit).value
    mine = (
        Assignment.objects.for_district(unit)
        if field == UnitKind.DISTRICT
        else Assignment.objects.filter(units.member_of(unit))
    ).existing_on(as_of)
    assignments = selectors.assignments_for_list(mine, as_of).order_by("due_on", "ward__code", "pk")
    # ?status=open is the link of the reminder digest: what the unit still has to do.
    status = request.GET.get("status", "")
    if status == "open":
        assignments = assignments.filter(status__in=[Status.OPEN_ON_TIME, Status.OVERDUE])
    elif status in Status.values:
        assignments = assignments.filter(status=status)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/unit_detail.html",
        {
            "unit": unit,
            "kind": kind,
            "field": field,
            "lineage": selectors.unit_lineage(unit),
            "counts": selectors.status_counts(mine, as_of),
            "count_params": {field: unit.code, "as_of": as_of.isoformat()},
            "page": page,
            "today": today,
            "as_of": as_of,
            "status": status,
        },
    )


def district_board(request, code):
    """A district's wards side by side: every ward × every task given to the wards, with its status."""
    today = timezone.localdate()
    district = units.unit_with_code(District, code, parse_day(request.GET.get("as_of")))
    if district is None:
        raise Http404
    as_of = _day(request, today if district.exists_on(today) else district.valid_to)
    board = selectors.district_ward_board(district, as_of)
    return render(
        request,
        "tasks/district_board.html",
        {"district": district, "board": board, "today": as_of, "as_of": as_of},
    )


def document_list(request):
    documents = LegalDocument.objects.select_related("implements", "superseded_by").annotate(
        n_tasks=Count("tasks")
    )
    return render(request, "tasks/document_list.html", {"documents": documents})


def document_detail(request, pk):
    document = get_object_or_404(
        LegalDocument.objects.select_related("implements__implements", "superseded_by"), pk=pk
    )
    return render(
        request,
        "tasks/document_detail.html",
        {
            "document": document,
            "ancestors": document.ancestors(),
            "implementations": document.implementations.all(),
            "superseded": document.supersedes.all(),
            "tasks": document.tasks.select_related("lead_department").annotate(
                n_assignments=Count("assignments")
            ),
        },
    )


def district_list(request):
    """The map of a day (today by default): the district-level units with their phường while there were
    districts, the commune-level units under the city from 01/07/2025; the dates the map changed; and a search by
    code or name over every unit that ever existed (a code may have named several, one after the other)."""
    today = timezone.localdate()
    as_of = _day(request, today)
    query = " ".join(request.GET.get("q", "").split())[:100]
    districts = list(
        District.objects.existing_on(as_of)
        .annotate(n_wards=Count("wards", filter=existing_q(as_of, "wards__")))
        .filter(n_wards__gt=0)
        .order_by("code")
    )
    return render(
        request,
        "tasks/district_list.html",
        {
            "as_of": as_of,
            "today": today,
            "query": query,
            "districts": districts,
            "wards": [] if districts else list(Ward.objects.existing_on(as_of).order_by("code")),
            "found": selectors.units_matching(query) if query else None,
            "changes": selectors.map_changes(),
        },
    )


def district_detail(request, code):
    """A district-level unit, its lifespan, and its phường (as of a day of its life)."""
    today = timezone.localdate()
    district = units.unit_with_code(District, code, parse_day(request.GET.get("as_of")))
    if district is None:
        raise Http404
    as_of = _day(request, today if district.exists_on(today) else district.valid_to)
    wards = district.wards.prefetch_related("successions__successor", "predecessions").order_by("code")
    return render(
        request,
        "tasks/district_detail.html",
        {
            "district": district,
            "as_of": as_of,
            "wards": [w for w in wards if w.exists_on(as_of)],
            "ended": [w for w in wards if w.valid_to is not None and w.valid_to < as_of],
        },
    )
