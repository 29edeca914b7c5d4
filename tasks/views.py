from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from plans.models import LegalDocument
from wards.models import District, Ward

from . import selectors
from .models import Assignment, Department, Status, Task

PAGE_SIZE = 25


def home(request):
    today = timezone.localdate()
    documents = LegalDocument.objects.filter(tasks__isnull=False).distinct()
    per_document = [
        (doc, selectors.status_counts(Assignment.objects.filter(task__document=doc), today))
        for doc in documents
    ]
    overdue = selectors.assignments_for_list(Assignment.objects.all(), today).filter(status=Status.OVERDUE)
    return render(
        request,
        "tasks/home.html",
        {
            "today": today,
            "counts": selectors.status_counts(Assignment.objects.all(), today),
            "per_document": per_document,
            "overdue": overdue.order_by("due_on", "pk")[:10],
            "escalated": selectors.escalated_assignments(today).order_by("due_on", "pk")[:10],
        },
    )


def task_list(request):
    today = timezone.localdate()
    page = Paginator(selectors.task_list(today), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tasks/task_list.html", {"page": page, "today": today, "statuses": list(Status)})


def task_detail(request, pk):
    today = timezone.localdate()
    task = get_object_or_404(Task.objects.select_related("document", "lead_department"), pk=pk)
    assignments = selectors.assignments_for_list(task.assignments.all(), today).order_by(
        "department__name", "district__code", "ward__district__code", "ward__code"
    )
    page = Paginator(assignments, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "coordinating": task.coordinating_departments.all(),
            "counts": selectors.status_counts(task.assignments.all(), today),
            "page": page,
            "today": today,
        },
    )


def assignment_detail(request, pk):
    today = timezone.localdate()
    assignment = get_object_or_404(
        selectors.assignments_for_list(Assignment.objects.all(), today).select_related(
            "task__lead_department"
        ),
        pk=pk,
    )
    return render(
        request,
        "tasks/assignment_detail.html",
        {
            "assignment": assignment,
            "updates": selectors.assignment_history(assignment),
            "reminders": selectors.assignment_reminders(assignment),
            "today": today,
        },
    )


def department_list(request):
    return render(request, "tasks/department_list.html", {"departments": Department.objects.all()})


UNIT_MODELS = {"so": (Department, "department"), "quan": (District, "district"), "phuong": (Ward, "ward")}


def unit_detail(request, kind, code):
    """One unit's page: its assignments and their status. A district's page includes its wards'."""
    today = timezone.localdate()
    model, field = UNIT_MODELS[kind]
    unit = get_object_or_404(
        model.objects.select_related(*(["district"] if field == "ward" else [])), code=code
    )
    mine = (
        Assignment.objects.for_district(unit)
        if field == "district"
        else Assignment.objects.filter(**{field: unit})
    )
    assignments = selectors.assignments_for_list(mine, today).order_by("due_on", "ward__code", "pk")
    # ?status=open is the link of the reminder digest: what the unit still has to do.
    status = request.GET.get("status", "")
    if status == "open":
        assignments = assignments.filter(status__in=[Status.OPEN_ON_TIME, Status.OVERDUE])
    elif status in Status.values:
        assignments = assignments.filter(status=status)
    page = Paginator(assignments, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/unit_detail.html",
        {
            "unit": unit,
            "kind": kind,
            "counts": selectors.status_counts(mine, today),
            "page": page,
            "today": today,
            "status": status,
        },
    )
