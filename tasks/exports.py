"""What the assignment list's export holds (the writer is cqdt_portal.lib.exports)."""

from collections.abc import Iterator

from cqdt_portal.lib.exports import CHUNK, Column
from org.models import Department, UnitKind
from wards.models import District, Ward

from .status import Status

ASSIGNMENT_COLUMNS = [
    Column("Văn bản", 16),
    Column("Mục", 10),
    Column("Nhiệm vụ", 60),
    Column("Đơn vị chủ trì", 28),
    Column("Loại đơn vị", 14),
    Column("Đơn vị thực hiện", 30),
    Column("Quận, thị xã", 20),
    Column("Thời hạn", 12, "date"),
    Column("Thời hạn ban đầu", 12, "date"),
    Column("Tiến độ (%)", 10, "number"),
    Column("Ngày hoàn thành", 12, "date"),
    Column("Tình trạng", 26),
    Column("Báo cáo gần nhất", 17, "date"),
]


def assignment_rows(assignments) -> Iterator[tuple]:
    """Rows of an annotated (with_status) assignment queryset, read in chunks.

    Plain tuples (values_list), with unit names looked up once per unit: building seven model instances per
    row and a translated display name per district cost 0.4 ms a row (bench/: 77 s for 60,000 rows).
    """
    labels = {value: str(label) for value, label in Status.choices}
    kinds = {value: str(label) for value, label in UnitKind.choices}
    departments = {d.pk: str(d) for d in Department.objects.all()}
    districts = {d.pk: str(d) for d in District.objects.all()}
    wards = {w.pk: (str(w), w.district_id) for w in Ward.objects.all()}
    query = assignments.values_list(
        "task__document__number", "task__section", "task__title", "task__lead_department_id",
        "task__lead_label", "department_id", "district_id", "ward_id", "due_on", "original_due_on", "percent",
        "completed_on", "status", "last_reported_at",
    )  # fmt: skip
    for (number, section, title, lead_id, lead_label, department_id, district_id, ward_id, due_on,
         original_due_on, percent, completed_on, status, last_reported_at) in query.iterator(chunk_size=CHUNK):  # fmt: skip
        if department_id:
            kind, unit, district = UnitKind.DEPARTMENT, departments[department_id], ""
        elif district_id:
            kind, unit, district = UnitKind.DISTRICT, districts[district_id], districts[district_id]
        else:
            ward, ward_district_id = wards[ward_id]
            kind, unit, district = UnitKind.WARD, ward, districts[ward_district_id]
        yield (
            number,
            section,
            title,
            departments[lead_id] if lead_id else lead_label,
            kinds[kind],
            unit,
            district,
            due_on,
            original_due_on,
            percent,
            completed_on,
            labels[status],
            last_reported_at,
        )
