"""The dashboards: the home page, the summary, the ward matrix and the period reports, with their exports."""

from datetime import date, timedelta

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from cqdt_portal.lib.exports import EXPORT_FORMATS, Column, export_response
from tasks.filters import AssignmentFilter
from tasks.models import Assignment
from tasks.status import Status
from wards.models import District

from . import selectors
from .forms import PeriodForm


def home(request):
    today = timezone.localdate()
    counts, per_document = selectors.counts_with_documents(today)
    return render(
        request,
        "dashboards/home.html",
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
        "dashboards/dashboard.html",
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
        "dashboards/ward_matrix.html",
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
        "dashboards/period_report.html",
        {
            "form": form,
            "period": period,
            "sections": sections,
            "total": total,
            "completed_in_period": completed_in_period,
            "statuses": list(Status),
        },
    )
