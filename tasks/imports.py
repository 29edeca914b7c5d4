"""A plan's task list from a spreadsheet (.xlsx or CSV): read and check every row, then compare with the database.

Columns (Vietnamese headers, or the English keys): `Văn bản` (document number, e.g. 100/KH-UBND), `Mục` (section),
`Nhiệm vụ` (title), `Chủ trì` (lead unit: a department's code, name or short name; for tasks given to every
district or ward, free text such as "UBND các quận, thị xã"), `Phối hợp` (coordinating units, separated by ";"),
`Thời hạn` (deadline, dd/mm/yyyy), `Phạm vi` (scope: thành phố / mọi quận / mọi phường / mọi quận và phường),
and optionally `Nội dung` (description). A task is known by its document and title: a second import updates it.
Nothing here writes; services.tasks_import_apply does what the plan says.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from cqdt_portal.lib.spreadsheets import SpreadsheetError, header_key, read_table
from org.models import Department
from plans.models import LegalDocument
from wards.models import District, Ward
from wards.planning import ImportPlan

from .models import Task, TaskScope
from .selectors import hand_over_preview, new_unit_assignments, units_given

COLUMNS = {
    "document": ["Văn bản", "Số văn bản", "document"],
    "section": ["Mục", "Mục, điểm", "section"],
    "title": ["Nhiệm vụ", "title"],
    "lead": ["Chủ trì", "Đơn vị chủ trì", "lead"],
    "coordinating": ["Phối hợp", "Đơn vị phối hợp", "coordinating"],
    "deadline": ["Thời hạn", "deadline"],
    "scope": ["Phạm vi", "Phạm vi giao", "scope"],
    "description": ["Nội dung", "description"],
    "given": ["Ngày giao", "given_on"],
}
REQUIRED = ["document", "title", "lead", "deadline", "scope"]
# How a plan names, as lead, the units it gives a task to one by one (no single department leads it).
COLLECTIVE_LEADS = (
    header_key("UBND các "),
    header_key("Ủy ban nhân dân các "),
    header_key("Uỷ ban nhân dân các "),
)
KNOWN_HEADERS = {header_key(h) for names in COLUMNS.values() for h in names}

SCOPES = {
    TaskScope.UNITS: ["thành phố", "đơn vị", "city", "units"],
    TaskScope.EVERY_DISTRICT: ["mọi quận", "mọi quận, thị xã", "every district"],
    TaskScope.EVERY_WARD: ["mọi phường", "every ward"],
    TaskScope.EVERY_DISTRICT_AND_WARD: [
        "mọi quận và phường",
        "mọi quận, thị xã và phường",
        "every district and ward",
    ],
}
SCOPE_WORDS = {
    header_key(w): scope for scope, words in SCOPES.items() for w in [*words, scope.label, scope.value]
}


class TaskFileError(SpreadsheetError):
    """The file as a whole cannot be imported."""


@dataclass(frozen=True)
class TaskRow:
    row: int
    document: str
    section: str
    title: str
    description: str | None  # None: the file has no description column, so the task's own is kept
    lead_department: str | None  # a department code
    lead_label: str
    coordinating: tuple[str, ...]  # department codes
    coordination_note: str
    scope: str
    due_on: date
    given_on: date | None = None  # None: the file has no date; a new task is given on the import's day


@dataclass
class TaskPlan:
    rows: list[TaskRow] = field(default_factory=list)
    created: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)
    new_assignments: int = 0

    @property
    def can_apply(self) -> bool:
        return not self.refused

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "refused": len(self.refused),
            "new_assignments": self.new_assignments,
        }

    def summary(self) -> dict:
        return {
            "counts": self.counts(),
            "created": self.created,
            "updated": self.updated,
            "refused": [{"row": row, "reason": reason} for row, reason in self.refused],
        }

    def fingerprint(self) -> dict:
        """The tasks created and updated, by document and title: an apply must do what the preview showed."""
        return {
            key: sorted([i["document"], i["title"]] for i in getattr(self, key))
            for key in ("created", "updated")
        }


@dataclass
class WardListPlan:
    """What applying an official ward list does: the units' changes (wards.planning.ImportPlan) and, on the tasks
    side, how many assignments the units that the list creates receive, and what the units that end hand over
    (tasks.selectors.hand_over_preview), with its refusals."""

    units: ImportPlan
    new_assignments: int = 0
    hand_overs: list[dict] = field(default_factory=list)  # {code, name, open, to: [labels]}
    refused_tasks: list[tuple[int, str]] = field(default_factory=list)

    @property
    def refused(self) -> list[tuple[int, str]]:
        return self.units.refused + self.refused_tasks

    @property
    def can_apply(self) -> bool:
        return not self.refused

    def counts(self) -> dict[str, int]:
        return self.units.counts() | {
            "refused": len(self.refused),
            "new_assignments": self.new_assignments,
            "handed_over": sum(item["open"] for item in self.hand_overs if item["to"]),
            "awaiting_decision": sum(item["open"] for item in self.hand_overs if not item["to"]),
        }

    def summary(self) -> dict:
        return self.units.summary() | {
            "counts": self.counts(),
            "hand_overs": self.hand_overs,
            "refused": [{"row": row, "reason": reason} for row, reason in self.refused],
        }

    def fingerprint(self) -> dict:
        return self.units.fingerprint()


def ward_list_effects(units: ImportPlan) -> WardListPlan:
    """An official list's plan with what it does to the tasks: the assignments new units receive and the work
    the ending units hand over."""
    hand_overs, refused = hand_over_preview(units)
    return WardListPlan(
        units=units, new_assignments=new_unit_assignments(units), hand_overs=hand_overs, refused_tasks=refused
    )


def _parse_date(value: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a calendar day, no time of day)
        except ValueError:
            continue
    return None


class _Departments:
    """Finds a department by its code, name or short name, whatever the case."""

    def __init__(self):
        self.by_key = {}
        for d in Department.objects.current():
            for key in (d.code, d.name, d.short_name):
                if key:
                    self.by_key[header_key(key)] = d

    def find(self, text: str) -> Department | None:
        return self.by_key.get(header_key(text))


def read_task_list(content: bytes) -> tuple[list[TaskRow], list[tuple[int, str]]]:
    """(rows, refused). Raises TaskFileError for a file that cannot be read at all."""
    try:
        table = read_table(content, max_bytes=settings.IMPORT_MAX_BYTES, known_headers=KNOWN_HEADERS)
    except SpreadsheetError as e:
        raise TaskFileError(str(e)) from e
    positions = {header_key(h): i for i, h in reversed(list(enumerate(table.header))) if h}
    columns = {}
    for key, names in COLUMNS.items():
        found = [positions[header_key(n)] for n in names if header_key(n) in positions]
        if found:
            columns[key] = found[0]
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in columns]
    if missing:
        raise TaskFileError(
            _("Thiếu cột {columns} ở dòng tiêu đề (dòng {row}).").format(
                columns=", ".join(f"“{h}”" for h in missing), row=table.header_row
            )
        )
    documents = set(LegalDocument.objects.values_list("number", flat=True))
    departments = _Departments()
    rows, refused, seen = [], [], {}
    for number, cells in table.rows:
        cell = {key: (cells[i] if i < len(cells) else "") for key, i in columns.items()}
        problems = []
        if cell["document"] not in documents:
            problems.append(_("Không có văn bản số “{number}”.").format(number=cell["document"]))
        title = cell["title"]
        if not title or len(title) > 500:
            problems.append(_("Tên nhiệm vụ trống hoặc dài quá 500 ký tự."))
        if len(cell.get("section", "")) > 100:
            problems.append(_("Mục dài quá 100 ký tự."))
        scope = SCOPE_WORDS.get(header_key(cell["scope"]))
        if scope is None:
            problems.append(
                _(
                    "Phạm vi “{scope}” không hợp lệ (thành phố, mọi quận, mọi phường, mọi quận và phường)."
                ).format(scope=cell["scope"])
            )
        due_on = _parse_date(cell["deadline"])
        given_on = _parse_date(cell["given"]) if cell.get("given") else None
        if cell.get("given") and given_on is None:
            problems.append(
                _("Ngày giao “{value}” không đúng dạng ngày/tháng/năm.").format(value=cell["given"])
            )
        if due_on is None:
            problems.append(
                _("Thời hạn “{value}” không đúng dạng ngày/tháng/năm.").format(value=cell["deadline"])
            )
        lead = departments.find(cell["lead"])
        # A unit the portal cannot identify is refused, never kept as free text; only the collective words for
        # the units a task is given to one by one ("UBND các quận, thị xã") stand without a department.
        collective = scope != TaskScope.UNITS and header_key(cell["lead"]).startswith(COLLECTIVE_LEADS)
        if lead is None and not collective:
            problems.append(_("Không tìm thấy đơn vị chủ trì “{lead}”.").format(lead=cell["lead"]))
        coordinating, notes = [], []
        for part in re.split(r"[;\n]+", cell.get("coordinating", "")):
            part = part.strip()
            if part:
                department = departments.find(part)
                if department is None:
                    notes.append(part)  # "Các đơn vị liên quan": kept as a note, shown in the preview
                else:
                    coordinating.append(department.code)
        key = (cell["document"], title)
        if not problems and key in seen:
            problems.append(_("Nhiệm vụ trùng với dòng {row}.").format(row=seen[key]))
        if problems:
            refused.append((number, " ".join(problems)))
            continue
        seen[key] = number
        rows.append(
            TaskRow(
                row=number,
                document=cell["document"],
                section=cell.get("section", ""),
                title=title,
                description=cell["description"] if "description" in columns else None,
                lead_department=lead.code if lead else None,
                lead_label="" if lead else cell["lead"],
                coordinating=tuple(sorted(set(coordinating))),
                coordination_note="; ".join(notes),
                scope=scope.value,
                due_on=due_on,
                given_on=given_on,
            )
        )
    return rows, refused


def row_values(row: TaskRow, departments: dict[str, Department]) -> dict:
    """The Task fields a row sets (the description only when the file has that column)."""
    values = {
        "section": row.section,
        "lead_department": departments.get(row.lead_department),
        "lead_label": row.lead_label,
        "coordination_note": row.coordination_note,
        "scope": row.scope,
        "due_on": row.due_on,
        **({"given_on": row.given_on} if row.given_on else {}),
    }
    if row.description is not None:
        values["description"] = row.description
    return values


def missing_assignments(task: Task | None, row: TaskRow, wards: list, districts: list) -> int:
    """How many assignments applying the row will add: the lead department for a city task, else the units the
    task reaches (selectors.units_given) that lack one, as services.assignments_sync counts them."""
    given_on = row.given_on or (task.given_on if task else timezone.localdate())
    have = set(task.assignments.values_list("ward_id", "district_id", "department__code")) if task else set()
    if row.scope == TaskScope.UNITS:
        return int(
            bool(row.lead_department) and not any(code == row.lead_department for _w, _d, code in have)
        )
    reached = units_given(Task(scope=row.scope, given_on=given_on, due_on=row.due_on), wards, districts)
    assigned = {(w, d) for w, d, _code in have}
    return sum((unit.get("ward_id"), unit.get("district_id")) not in assigned for unit in reached)


def plan_tasks(content: bytes) -> TaskPlan:
    rows, refused = read_task_list(content)
    plan = TaskPlan(rows=rows, refused=refused)
    departments = {d.code: d for d in Department.objects.all()}
    wards, districts = list(Ward.objects.all()), list(District.objects.all())
    for row in rows:
        task = Task.objects.filter(document__number=row.document, title=row.title).first()
        item = {
            "row": row.row,
            "document": row.document,
            "section": row.section,
            "title": row.title,
            "lead": departments[row.lead_department].name if row.lead_department else row.lead_label,
            "coordinating": [departments[c].name for c in row.coordinating]
            + ([row.coordination_note] if row.coordination_note else []),
            "due_on": row.due_on.isoformat(),
            "due_on_display": row.due_on.strftime("%d/%m/%Y"),
            "scope": str(TaskScope(row.scope).label),
        }
        plan.new_assignments += missing_assignments(task, row, wards, districts)
        if task is None:
            plan.created.append(item)
            continue
        values = row_values(row, departments)
        changed = [name for name, value in values.items() if getattr(task, name) != value]
        if set(task.coordinating_departments.values_list("code", flat=True)) != set(row.coordinating):
            changed.append("coordinating_departments")
        if changed:
            plan.updated.append(
                item | {"fields": [str(Task._meta.get_field(f).verbose_name) for f in changed]}
            )
        else:
            plan.unchanged += 1
    return plan
