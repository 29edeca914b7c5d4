"""Pages of the plan: documents and their tasks, tasks, the filtered list of assignments and its exports, units and
their assignments. Every signed-in user may read them."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cqdt_portal.lib.exports import EXPORT_FORMATS, export_response
from org import units
from org.models import Department, UnitKind
from plans.models import LegalDocument
from wards.models import District

from . import selectors
from .filters import AssignmentFilter, TaskFilter
from .models import Assignment, Task
from .status import Status

PAGE_SIZE = 50


def assignment_list(request, fmt=None):
    """The filtered list of assignments; the same filters give the .xlsx and .csv exports."""
    filterset = AssignmentFilter(request.GET, queryset=Assignment.objects.all())
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        stamp = filterset.as_of_date.strftime("%Y%m%d")
        return export_response(
            fmt,
            f"giao-viec-{stamp}",
            "Giao nhiệm vụ",
            selectors.ASSIGNMENT_COLUMNS,
            selectors.assignment_rows(filterset.qs),
        )
    counts = selectors.status_counts(filterset.qs, filterset.as_of_date)
    paginator = Paginator(selectors.assignments_for_list(filterset.qs), PAGE_SIZE)
    paginator.count = counts.total  # every row has one status: the same number, without a second COUNT
    page = paginator.get_page(request.GET.get("page"))
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
    filterset = TaskFilter(request.GET, queryset=selectors.task_list(today))
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


def department_list(request):
    return render(request, "tasks/department_list.html", {"departments": Department.objects.all()})


def unit_detail(request, kind, code):
    """One unit's page: its assignments and their status. A district's page includes its wards'."""
    unit = units.unit_by_slug(kind, code)
    if unit is None:
        raise Http404
    today = timezone.localdate()
    field = units.kind_of(unit).value
    mine = (
        Assignment.objects.for_district(unit)
        if field == UnitKind.DISTRICT
        else Assignment.objects.filter(units.member_of(unit))
    )
    assignments = selectors.assignments_for_list(mine, today).order_by("due_on", "ward__code", "pk")
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
            "counts": selectors.status_counts(mine, today),
            "count_params": {field: unit.code},
            "page": page,
            "today": today,
            "status": status,
        },
    )


def district_board(request, code):
    """A district's wards side by side: every ward × every task given to the wards, with its status."""
    district = get_object_or_404(District, code=code)
    today = timezone.localdate()
    board = selectors.district_ward_board(district, today)
    return render(
        request, "tasks/district_board.html", {"district": district, "board": board, "today": today}
    )


def document_list(request):
    documents = LegalDocument.objects.select_related("implements").annotate(n_tasks=Count("tasks"))
    return render(request, "tasks/document_list.html", {"documents": documents})


def document_detail(request, pk):
    document = get_object_or_404(LegalDocument.objects.select_related("implements__implements"), pk=pk)
    return render(
        request,
        "tasks/document_detail.html",
        {
            "document": document,
            "ancestors": document.ancestors(),
            "implementations": document.implementations.all(),
            "tasks": document.tasks.select_related("lead_department").annotate(
                n_assignments=Count("assignments")
            ),
        },
    )


def district_list(request):
    districts = District.objects.annotate(
        n_wards=Count("wards", filter=Q(wards__retired_on__isnull=True)),
        n_retired=Count("wards", filter=Q(wards__retired_on__isnull=False)),
    ).filter(n_wards__gt=0)
    return render(request, "tasks/district_list.html", {"districts": districts})


def district_detail(request, code):
    district = get_object_or_404(District, code=code)
    wards = district.wards.prefetch_related("successors", "predecessors")
    return render(
        request,
        "tasks/district_detail.html",
        {
            "district": district,
            "wards": [w for w in wards if not w.is_retired],
            "retired": [w for w in wards if w.is_retired],
        },
    )
