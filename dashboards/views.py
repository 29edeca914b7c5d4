"""The dashboards: the home page, the summary, the ward matrix and the period reports, with their exports."""

from datetime import date, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.exports import EXPORT_FORMATS, Column, Sheet, ascii_name, export_response
from documents.report import to_docx, to_pdf
from tasks.filters import AssignmentFilter
from tasks.models import Assignment, RankingRule
from tasks.status import Status
from wards.models import District

from . import period_document, selectors
from .forms import PeriodForm

# The period report as an administrative document: Word to edit before signing, PDF to send as it is.
DOCUMENT_FORMATS = ("docx", "pdf")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


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


# The filters of the list behind a unit's numbers, by the kind of row.
ROW_PARAMS = {
    "lead": lambda unit: {"lead": unit.code},
    "district": lambda unit: {"district": unit.code},
    "department": lambda unit: {"department": unit.code, "unit_kind": "department"},
    "ward": lambda unit: {"ward": unit.code, "unit_kind": "ward"},
}


def with_params(rows: list, kind: str) -> list:
    """[(unit, counts)] → [(unit, counts, the list filters of that unit's numbers)]."""
    return [(unit, counts, ROW_PARAMS[kind](unit)) for unit, counts in rows]


def dashboard(request):
    """How the plan stands, per document, lead department, district and unit; every number links to its list."""
    filterset = AssignmentFilter(request.GET, queryset=Assignment.objects.all(), request=request)
    as_of = filterset.as_of_date
    scope = filterset.qs
    # Every assignment (no filter but the day): the counts may come from the summary the write services keep.
    unfiltered = filterset.is_valid() and not any(
        v for k, v in filterset.form.cleaned_data.items() if k != "as_of"
    )
    breakdown = selectors.status_breakdown(
        as_of, None if unfiltered else scope, reference=filterset.reference
    )
    rule = RankingRule.current()
    counts, ranking = breakdown.total, breakdown.ranking(rule.min_due)
    document = filterset.form.cleaned_data.get("document") if filterset.is_valid() else None
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "filter": filterset,
            "as_of": as_of,
            "document": document,
            "counts": counts,
            "per_lead": with_params(breakdown.per_lead, "lead"),
            "per_district": with_params(breakdown.per_district, "district"),
            "per_commune": with_params(breakdown.per_commune, "ward"),
            "best": ranking[:10],
            "worst": list(reversed(ranking))[:10],
            "ranking_size": len(ranking),
            "ranking_rule": rule,
            "overdue": selectors.most_overdue(as_of, assignments=scope, reference=filterset.reference),
            "chart": _progress_chart(selectors.completion_over_time(scope), counts.total, as_of),
            "statuses": list(Status),
            # Every number links to the list behind it: the same day and scope.
            "count_params": {"document": document.pk if document else "", "as_of": as_of.isoformat()},
        },
    )


def _districts_with_wards(reference, as_of) -> list:
    """The districts of the day that have wards, by code (the matrix's choice of scope)."""
    with_wards = {ward.district_id for ward in reference.ward.values()}
    return [d for d in reference.district.values() if d.pk in with_wards and d.exists_on(as_of)]


def ward_matrix(request, fmt=None):
    """Wards × the tasks given to every ward, one district or all; each cell the status as of a date."""
    filterset = AssignmentFilter(request.GET, queryset=Assignment.objects.none(), request=request)
    as_of = filterset.as_of_date
    district = None
    reference = filterset.reference  # districts from the reference data the process keeps (tasks.reference)
    if code := request.GET.get("district"):
        # The district that had the code that day (a code names a unit only within its lifespan).
        district = reference.district.get(filterset.unit_pk(District, code))
    # The screen shows the tasks a page at a time (?cot=2); the exports hold them all.
    task_page = request.GET.get("cot", 1) if fmt is None else None
    matrix = selectors.ward_matrix(as_of, district, task_page)
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        return _ward_matrix_export(request, fmt, matrix, district, as_of)
    return render(
        request,
        "dashboards/ward_matrix.html",
        {
            "matrix": matrix,
            "district": district,
            "districts": _districts_with_wards(reference, as_of),
            "print_filters": [f"Địa bàn: {_place(district)}"],
            "as_of": as_of,
            "statuses": list(Status),
        },
    )


def period_report(request, fmt=None):
    """Status counts per unit as of the end of a reporting period (cut-off on the 14th); printable."""
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data["period"] if form.is_valid() else PeriodForm.default_period()
    if not form.is_bound:
        form = PeriodForm(initial={"kind": period.kind, "year": period.year, "number": period.number})
    # The statuses at the period's cut-off, or today while the period runs (a later day would count deadlines
    # that have not passed yet as missed).
    today = timezone.localdate()
    end = min(period.end, today)
    if fmt in DOCUMENT_FORMATS:
        report = period_document.period_report(period, end, today)
        name = ascii_name("bao-cao", period.label)
        if fmt == "docx":
            return HttpResponse(to_docx(report), content_type=DOCX, headers=_attachment(f"{name}.docx"))
        return HttpResponse(
            to_pdf(report), content_type="application/pdf", headers=_attachment(f"{name}.pdf")
        )
    # The assignments that existed at the period's cut-off, on the map of that day.
    assignments = Assignment.objects.existing_on(end)
    breakdown = selectors.status_breakdown(end, every_unit=True)
    # Grouped by the map of the cut-off day: districts while there were any, else each commune-level unit.
    sections = [
        (_("Sở, ban, ngành (được giao)"), with_params(breakdown.per_department, "department")),
        (_("Quận, thị xã (gồm các phường)"), with_params(breakdown.per_district, "district")),
        (_("Phường, xã trực thuộc thành phố"), with_params(breakdown.per_commune, "ward")),
    ]
    sections = [(title, rows) for title, rows in sections if rows]
    total = breakdown.total
    completed_in_period = assignments.filter(completed_on__gte=period.start, completed_on__lte=end).count()
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        return _period_report_export(request, fmt, period, end, sections, total)
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
            "as_of": end,
            "print_filters": [_period_words(period)],
            "count_params": {"as_of": end.isoformat()},
            "completed_params": {
                "status": [Status.DONE_ON_TIME.value, Status.DONE_LATE.value],
                "completed_from": period.start.isoformat(),
                "completed_to": end.isoformat(),
                "as_of": end.isoformat(),
            },
        },
    )


def _place(district) -> str:
    return (getattr(district, "name_then", None) or str(district)) if district else "toàn thành phố"


def _period_words(period) -> str:
    return (
        f"Kỳ báo cáo: {period.label}, từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y} "
        "(chốt số liệu ngày 14, Nghị định 09/2019/NĐ-CP)"
    )


def _ward_matrix_export(request, fmt, matrix, district, as_of):
    labels = dict(Status.choices)
    # A task that no ward of the list has (another district's, or given after the day) is no column of the sheet.
    shown = [i for i, counts in enumerate(matrix.column_counts) if counts.total]
    columns = [
        Column("Mã phường", 9),
        Column("Phường, xã", 20, wrap=True),
        Column("Quận, thị xã", 16, wrap=True),
    ]
    columns += [
        Column(matrix.tasks[i].title + (" (hạn minh hoạ)" if matrix.tasks[i].deadline_is_illustrative else ""), 24,
               wrap=True)
        for i in shown
    ]  # fmt: skip
    columns += [Column(str(s.label), 12, "number") for s in Status]
    rows = (
        (ward.code, getattr(ward, "name_then", None) or str(ward), str(ward.district or ""))
        + tuple(str(labels[cells[i]["status"]]) if cells[i] else "" for i in shown)
        + tuple(n for _s, n in counts.rows)
        for ward, cells, counts in matrix.rows
    )
    illustrative = sum(
        counts.total for task, counts in zip(matrix.tasks, matrix.column_counts, strict=True)
        if task.deadline_is_illustrative
    )  # fmt: skip
    place = _place(district)
    sheet = Sheet(
        title=f"Ma trận phường: nhiệm vụ giao mọi phường, {place}",
        name=ascii_name("ma-tran-phuong", place, f"{as_of:%Y%m%d}"),
        as_of=as_of,
        filters=[f"Địa bàn: {place}"],
        made_by=str(request.user),
        illustrative=illustrative,
    )
    return export_response(fmt, sheet, columns, rows)


def _period_report_export(request, fmt, period, end, sections, total):
    columns = [Column("Nhóm", 30, wrap=True), Column("Đơn vị", 28, wrap=True)]
    columns += [Column(str(s.label), 14, "number") for s in Status]
    columns += [Column("Tổng", 8, "number"), Column("Tỷ lệ đúng hạn (%)", 11, "number")]
    rows = [
        (
            str(group),
            getattr(unit, "name_then", None) or str(unit),
            *(n for _s, n in counts.rows),
            counts.total,
            counts.on_time_rate,
        )
        for group, section in sections
        for unit, counts, _params in section
    ]
    rows.append(("Toàn thành phố", "", *(n for _s, n in total.rows), total.total, total.on_time_rate))
    illustrative = Assignment.objects.existing_on(end).filter(task__deadline_is_illustrative=True).count()
    sheet = Sheet(
        title=f"Báo cáo tình hình thực hiện {period.label}",
        name=ascii_name("bao-cao", period.label),
        as_of=end,
        filters=[_period_words(period)],
        made_by=str(request.user),
        illustrative=illustrative,
    )
    return export_response(fmt, sheet, columns, rows)
