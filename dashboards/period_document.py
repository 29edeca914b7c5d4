"""The period report as an administrative report (báo cáo, Nghị định 30/2020/NĐ-CP): what it says, section by
section, for documents/report.py to lay out as .docx and .pdf."""

from datetime import date

from django.db.models import Count, Q

from cqdt_portal.lib.periods import Period
from documents.models import IssuingOffice
from documents.report import Entry, Heading, Paragraph, Report, Table
from tasks.models import Assignment
from tasks.selectors import StatusCounts
from tasks.status import Status

from . import selectors

STATUS_WIDTHS = [5.2, 2.1, 2.1, 2.1, 2.1, 1.6, 2.0]


def _rate(counts) -> str:
    return "—" if counts.on_time_rate is None else f"{counts.on_time_rate}".replace(".", ",")


def _units_by_days(units: list) -> str:
    """ "Phường A, Phường B (149); Phường C (106)": the units overdue by the same number of days together."""
    groups: dict = {}
    for unit, days in units:
        groups.setdefault(days, []).append(getattr(unit, "name_then", None) or str(unit))
    return "; ".join(f"{', '.join(names)} ({days})" for days, names in groups.items())


def _unit_table(rows, unit_header: str, total) -> Table:
    headers = [unit_header, *(str(s.label) for s in Status), "Tổng", "Tỷ lệ đúng hạn (%)"]
    body = [
        [
            getattr(unit, "name_then", None) or str(unit),
            *(n for _s, n in counts.rows),
            counts.total,
            _rate(counts),
        ]
        for unit, counts in rows
    ]
    body.append(["Cộng", *(n for _s, n in total.rows), total.total, _rate(total)])
    return Table(headers, body, STATUS_WIDTHS, numeric=frozenset(range(1, 7)), total_last=True)


def _sum(rows) -> StatusCounts:
    total = StatusCounts()
    for _unit, counts in rows:
        for status, n in counts.rows:
            total.add(status.value, n)
    return total


def period_report(period: Period, as_of: date, today: date) -> Report:
    """The report of `period` with the statuses as of `as_of` (its cut-off, or today while it runs)."""
    assignments = Assignment.objects.existing_on(as_of)
    breakdown = selectors.status_breakdown(as_of, assignments, every_unit=True)
    total = breakdown.total
    facts = assignments.aggregate(
        completed=Count("pk", filter=Q(completed_on__gte=period.start, completed_on__lte=as_of)),
        illustrative=Count("pk", filter=Q(task__deadline_is_illustrative=True)),
        illustrative_tasks=Count("task", filter=Q(task__deadline_is_illustrative=True), distinct=True),
    )
    running = as_of < period.end
    blocks = [
        Heading("I. KỲ BÁO CÁO VÀ THỜI ĐIỂM LẤY SỐ LIỆU"),
        Paragraph(
            f"Kỳ báo cáo {period.label.lower()}: từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}; "
            "thời gian chốt số liệu là ngày 14 của tháng cuối kỳ theo Điều 12 Nghị định 09/2019/NĐ-CP."
        ),
        Paragraph(
            f"Kỳ báo cáo chưa kết thúc: số liệu tính đến hết ngày {as_of:%d/%m/%Y}."
            if running
            else f"Số liệu tính đến hết ngày {as_of:%d/%m/%Y}."
        ),
        Paragraph(
            f"Đơn vị được ghi theo địa giới hành chính tại ngày {as_of:%d/%m/%Y}. Tình trạng của mỗi việc được giao "
            "là một trong bốn tình trạng: hoàn thành đúng hạn, hoàn thành quá hạn, chưa hoàn thành – trong hạn, "
            "chưa hoàn thành – quá hạn."
        ),
        Heading("II. KẾT QUẢ CHUNG TOÀN THÀNH PHỐ"),
        Paragraph(
            f"Toàn thành phố có {total.total} việc được giao cho các đơn vị; trong kỳ đã hoàn thành "
            f"{facts['completed']} việc. Tỷ lệ hoàn thành đúng hạn trên số việc đã đến hạn: {_rate(total)}%."
        ),
        Table(
            ["Tình trạng", "Số việc", "Tỷ lệ (%)"],
            [
                [str(s.label), n, f"{100 * n / total.total:.1f}".replace(".", ",") if total.total else "—"]
                for s, n in total.rows
            ]
            + [["Tổng số", total.total, "100" if total.total else "—"]],
            [9, 3.5, 3.5],
            numeric=frozenset({1, 2}),
            total_last=True,
        ),  # fmt: skip
        Heading("III. THEO ĐƠN VỊ CHỦ TRÌ"),
        _unit_table(breakdown.per_lead, "Đơn vị chủ trì", _sum(breakdown.per_lead)),
    ]
    if breakdown.per_district:
        blocks += [
            Heading("IV. THEO QUẬN, THỊ XÃ (GỒM CÁC PHƯỜNG, XÃ)"),
            _unit_table(breakdown.per_district, "Quận, thị xã", _sum(breakdown.per_district)),
        ]
    if breakdown.per_commune:
        number = "V" if breakdown.per_district else "IV"
        blocks += [
            Heading(f"{number}. THEO PHƯỜNG, XÃ TRỰC THUỘC THÀNH PHỐ"),
            _unit_table(breakdown.per_commune, "Phường, xã", _sum(breakdown.per_commune)),
        ]
    numerals = ["IV", "V", "VI", "VII"][bool(breakdown.per_district) + bool(breakdown.per_commune) :]
    overdue = selectors.overdue_by_task(as_of)
    late = sum(len(t.units) for t in overdue)
    blocks += [
        Heading(f"{numerals[0]}. NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN"),
        Paragraph(
            f"Đến hết ngày {as_of:%d/%m/%Y} có {late} việc của {len(overdue)} nhiệm vụ chưa hoàn thành và đã quá "
            "hạn, kể ra dưới đây theo nhiệm vụ, hạn sớm nhất trước: các đơn vị chưa hoàn thành, số trong ngoặc là "
            "số ngày quá hạn."
            if overdue
            else f"Đến hết ngày {as_of:%d/%m/%Y} không có việc nào chưa hoàn thành và quá hạn."
        ),
    ]
    for i, task in enumerate(overdue, start=1):
        illustrative = ", hạn minh hoạ (*)" if task.illustrative else ""
        blocks.append(
            Entry(f"{i}. {task.title} (hạn {task.due_on:%d/%m/%Y}{illustrative}; {len(task.units)} việc): "
                  f"{_units_by_days(task.units)}.")
        )  # fmt: skip
    blocks += [
        Heading(f"{numerals[1]}. VỀ CÁC THỜI HẠN MINH HOẠ"),
        Paragraph(
            f"{facts['illustrative']} việc của {facts['illustrative_tasks']} nhiệm vụ mang thời hạn minh hoạ (đánh "
            "dấu (*)): văn bản công khai không nêu thời hạn, cổng đặt thời hạn để minh hoạ; cần thay bằng thời hạn "
            "thật trước khi dùng số liệu quá hạn của các nhiệm vụ này."
            if facts["illustrative"]
            else "Mọi thời hạn trong báo cáo lấy từ văn bản giao nhiệm vụ; không có thời hạn minh hoạ."
        ),
    ]
    return Report(
        office=IssuingOffice.current(),
        subject=f"Tình hình thực hiện mô hình chính quyền đô thị {period.label.lower()}",
        day=today,
        blocks=blocks,
    )
