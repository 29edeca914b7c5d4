"""A mapping of old commune-level units to new ones, in the shape of Nghị quyết 1656/NQ-UBTVQH15's
(`new_code, new_name, new_kind, relation, old_kind, old_name, old_qualifier, provision_no, old_code`; see
../shared/data/reform-2025/README.md): which old units, and how much of each, each new unit was made from."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from cqdt_portal.lib.spreadsheets import SpreadsheetError, header_key, read_table

from .imports import WARD_KINDS, WardFileError, gso_code
from .models import Relation, WardKind

MAPPING_COLUMNS = {
    "new_code": "new_code",
    "new_name": "new_name",
    "relation": "relation",
    "old_kind": "old_kind",
    "old_name": "old_name",
}
MAPPING_OPTIONAL = {"new_kind": "new_kind", "old_qualifier": "old_qualifier", "old_code": "old_code"}
MAPPING_HEADERS = {
    header_key(h) for h in [*MAPPING_COLUMNS.values(), *MAPPING_OPTIONAL.values(), "provision_no"]
}


@dataclass(frozen=True)
class MappingRow:
    row: int
    new_code: str
    new_name: str
    relation: str
    old_kind: str
    old_name: str
    old_qualifier: str = ""
    old_code: str = ""

    @property
    def old_label(self) -> str:
        label = f"{WardKind(self.old_kind).label} {self.old_name}"
        return f"{label} ({self.old_qualifier})" if self.old_qualifier else label


@dataclass
class Mapping:
    rows: list[MappingRow]
    refused: list[tuple[int, str]]


def read_mapping(content: bytes) -> Mapping:
    """Read a mapping of old units to new ones (the shape of NQ 1656's). Raises WardFileError when it cannot be
    read; each bad row is refused with its reason, prefixed so the admin knows which file it is in."""
    try:
        table = read_table(content, max_bytes=settings.IMPORT_MAX_BYTES, known_headers=MAPPING_HEADERS)
    except SpreadsheetError as e:
        raise WardFileError(_("Bảng chuyển đổi: {error}").format(error=e)) from e
    positions = {header_key(h): i for i, h in reversed(list(enumerate(table.header))) if h}
    missing = [h for h in MAPPING_COLUMNS.values() if header_key(h) not in positions]
    if missing:
        raise WardFileError(
            _("Bảng chuyển đổi: thiếu cột {columns} ở dòng tiêu đề.").format(
                columns=", ".join(f"“{h}”" for h in missing)
            )
        )
    columns = {key: positions[header_key(h)] for key, h in (MAPPING_COLUMNS | MAPPING_OPTIONAL).items()
               if header_key(h) in positions}  # fmt: skip
    relations = {r.value for r in Relation}
    rows, refused = [], []
    for number, cells in table.rows:
        cell = {key: (cells[i] if i < len(cells) else "") for key, i in columns.items()}
        new_code, old_code = gso_code(cell["new_code"], 5), gso_code(cell.get("old_code", ""), 5)
        old_kind = WARD_KINDS.get(header_key(cell["old_kind"]))
        problems = []
        if new_code is None:
            problems.append(_("mã mới “{code}” không hợp lệ.").format(code=cell["new_code"]))
        if cell.get("old_code") and old_code is None:
            problems.append(_("mã cũ “{code}” không hợp lệ.").format(code=cell["old_code"]))
        if cell["relation"] not in relations:
            problems.append(_("quan hệ “{relation}” không hợp lệ.").format(relation=cell["relation"]))
        if old_kind is None:
            problems.append(_("loại đơn vị cũ “{kind}” không hợp lệ.").format(kind=cell["old_kind"]))
        if not cell["old_name"] or not cell["new_name"]:
            problems.append(_("thiếu tên đơn vị."))
        if problems:
            refused.append((0, _("Bảng chuyển đổi, dòng {row}: {problems}").format(
                row=number, problems=" ".join(problems))))  # fmt: skip
            continue
        rows.append(
            MappingRow(
                row=number,
                new_code=new_code,
                new_name=cell["new_name"],
                relation=cell["relation"],
                old_kind=old_kind.value,
                old_name=cell["old_name"],
                old_qualifier=cell.get("old_qualifier", ""),
                old_code=old_code or "",
            )
        )
    if not rows and not refused:
        raise WardFileError(_("Bảng chuyển đổi không có dòng nào."))
    return Mapping(rows=rows, refused=refused)
