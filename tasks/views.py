from datetime import date, timedelta

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cqdt_portal.lib.exports import Column, export_response
from org.models import Department
from wards.models import District, Ward

from . import selectors
from .exports import ASSIGNMENT_COLUMNS, assignment_rows
from .filters import AssignmentFilter, TaskFilter
from .forms import EXPORT_FORMATS, PeriodForm
from .models import Assignment, Status, Task

PAGE_SIZE = 50


def home(request):
    today = timezone.localdate()
    counts, per_document = selectors.counts_with_documents(today)
    return render(
        request,
        "tasks/home.html",
        {
            "today": today,
            "counts": counts,
            "per_document": per_document,
            "overdue": selectors.most_overdue(today),
            # Overdue after the set number of reminders: raised at the city leadership's meeting.
            "escalated": selectors.escalated_assignments(today).order_by("due_on", "pk")[:10],
        },
    )


def _progress_chart(series: list, total: int, end: date, width=640, height=200, pad=36):
    """Points of a cumulative completion line from the month before the first completion to `end`, as SVG
    coordinates (server-rendered: no script, no CDN)."""
    if not series or not total:
        return None
    month_before = series[0][0].replace(day=1) - timedelta(days=1)
    first = month_before.replace(day=1)
    months = max((end.year - first.year) * 12 + end.month - first.month, 1)

    def x(day):
        return pad + (width - 2 * pad) * ((day.year - first.year) * 12 + day.month - first.month) / months

    def y(n):
        return height - pad - (height - 2 * pad) * n / total

    points = [(x(first), y(0))] + [(x(month), y(done)) for month, _n, done in series]
    points.append((x(end), points[-1][1]))
    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{px:.1f},{py:.1f}" for px, py in points),
        "first": first,
        "end": end,
        "done": series[-1][2],
        "total": total,
        "x0": pad,
        "x1": width - pad,
        "y0": height - pad,
        "ytop": pad,
        "rows": series,
    }


def dashboard(request):
    """How the plan stands, per document, lead department, district and unit; every number links to its list."""
    filterset = AssignmentFilter(request.GET, queryset=Assignment.objects.all())
    as_of = filterset.as_of_date
    scope = filterset.qs
    breakdown = selectors.status_breakdown(as_of, scope)
    counts, ranking = breakdown.total, breakdown.ranking
    document = filterset.form.cleaned_data.get("document") if filterset.is_valid() else None
    return render(
        request,
        "tasks/dashboard.html",
        {
            "filter": filterset,
            "as_of": as_of,
            "document": document,
            "counts": counts,
            "per_lead": breakdown.per_lead,
            "per_district": breakdown.per_district,
            "best": ranking[:10],
            "worst": [r for r in reversed(ranking) if r.counts.due][:10],
            "ranking_size": len(ranking),
            "overdue": selectors.most_overdue(as_of, assignments=scope),
            "chart": _progress_chart(selectors.completion_over_time(scope), counts.total, as_of),
            "statuses": list(Status),
            "count_params": {
                "document": document.pk if document else "",
                "as_of": request.GET.get("as_of", ""),
            },
        },
    )


def assignment_list(request, fmt=None):
    """The filtered list of assignments; the same filters give the .xlsx and .csv exports."""
    filterset = AssignmentFilter(request.GET, queryset=Assignment.objects.all())
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        stamp = filterset.as_of_date.strftime("%Y%m%d")
        return export_response(
            fmt, f"giao-viec-{stamp}", "Giao nhiệm vụ", ASSIGNMENT_COLUMNS, assignment_rows(filterset.qs)
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


def ward_matrix(request, fmt=None):
    """Wards × the tasks given to every ward, one district or all; each cell the status as of a date."""
    filterset = AssignmentFilter(request.GET, queryset=Assignment.objects.none())
    district = None
    if code := request.GET.get("district"):
        district = District.objects.filter(code=code).first()
    # The screen shows the tasks a page at a time (?cot=2); the exports hold them all.
    task_page = request.GET.get("cot", 1) if fmt is None else None
    matrix = selectors.ward_matrix(filterset.as_of_date, district, task_page)
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        labels = dict(Status.choices)
        columns = [Column("Mã phường", 10), Column("Phường", 24), Column("Quận, thị xã", 20)]
        columns += [Column(t.title, 24) for t in matrix.tasks]
        columns += [Column(str(s.label), 14, "number") for s in Status]
        rows = (
            (ward.code, str(ward), str(ward.district))
            + tuple(str(labels[c["status"]]) if c else "" for c in cells)
            + tuple(n for _s, n in counts.rows)
            for ward, cells, counts in matrix.rows
        )
        name = f"ma-tran-phuong-{district.code if district else 'toan-thanh-pho'}"
        return export_response(fmt, name, "Ma trận phường", columns, rows)
    return render(
        request,
        "tasks/ward_matrix.html",
        {
            "matrix": matrix,
            "district": district,
            "districts": District.objects.filter(wards__isnull=False).distinct(),
            "as_of": filterset.as_of_date,
            "statuses": list(Status),
        },
    )


def period_report(request, fmt=None):
    """Status counts per unit as of the end of a reporting period (cut-off on the 14th); printable."""
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data["period"] if form.is_valid() else PeriodForm.default_period()
    if not form.is_bound:
        form = PeriodForm(initial={"kind": period.kind, "year": period.year, "number": period.number})
    end = period.end
    # A task exists from the day its document was issued: a period before that does not count it.
    assignments = Assignment.objects.filter(task__document__issued_on__lte=end)
    breakdown = selectors.status_breakdown(end, assignments)
    sections = [
        ("Sở, ban, ngành", breakdown.per_department),
        ("Quận, thị xã (gồm các phường)", breakdown.per_district),
    ]
    total = breakdown.total
    completed_in_period = assignments.filter(completed_on__gte=period.start, completed_on__lte=end).count()
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        columns = [Column("Nhóm", 26), Column("Đơn vị", 30)]
        columns += [Column(str(s.label), 14, "number") for s in Status]
        columns += [Column("Tổng", 10, "number"), Column("Tỷ lệ đúng hạn (%)", 12, "number")]
        rows = [
            (group, str(unit), *(n for _s, n in counts.rows), counts.total, counts.on_time_rate)
            for group, section in sections
            for unit, counts in section
        ]
        rows.append(("Toàn thành phố", "", *(n for _s, n in total.rows), total.total, total.on_time_rate))
        name = f"bao-cao-{period.kind}-{period.year}-{period.number}"
        return export_response(fmt, name, "Báo cáo kỳ", columns, rows)
    return render(
        request,
        "tasks/period_report.html",
        {
            "form": form,
            "period": period,
            "sections": sections,
            "total": total,
            "completed_in_period": completed_in_period,
            "statuses": list(Status),
        },
    )


def department_list(request):
    return render(request, "tasks/department_list.html", {"departments": Department.objects.all()})


UNIT_MODELS = {"so": (Department, "department"), "quan": (District, "district"), "phuong": (Ward, "ward")}


def unit_detail(request, kind, code):
    """One unit's page: its assignments and their status. A district's page includes its wards'."""
    if kind not in UNIT_MODELS:
        raise Http404
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
