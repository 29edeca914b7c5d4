"""The official ward list: read a file into checked rows (wards.planning compares them with the recorded map).

Five layouts are read. Until 30/06/2025, units lay in districts: the statistics office's (GSO) export, exactly as
its site gives it (`Tỉnh Thành Phố, Mã TP, Quận Huyện, Mã QH, Phường Xã, Mã PX, Cấp, Tên Tiếng Anh`; names carry
their prefix, "Quận Ba Đình"), the project's plain table (`district_code, district_name, district_type,
ward_code, ward_name, ward_type`) and `code, name, kind, district_code, district_name` (the district's full name,
as the 01/01/2025 list gives it); each may add a `successor_codes` column, naming on a row a ward that no longer
exists and the wards it went into. Of such a list, one province's phường (the pilot of Resolution 97/2019/QH14
covers the phường) and their districts are kept. From 01/07/2025 the city has no districts: the GSO export without
its district columns, or the plain `code, name, kind[, province]`; every commune-level unit of the province is
kept, and the file is the whole list. Other rows are counted as out of scope.

With a list, a mapping of old units to new ones may come, in the shape of Nghị quyết 1656/NQ-UBTVQH15's
(`new_code, new_name, new_kind, relation, old_kind, old_name, old_qualifier, provision_no, old_code`): it says
which units each new one was made from, and how much of each (wards.mapping reads it).
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from cqdt_portal.lib.spreadsheets import SpreadsheetError, Table, header_key, read_table
from cqdt_portal.lib.vn import fold

from .models import DistrictKind, WardKind

GSO_COLUMNS = {
    "province_code": "Mã TP",
    "district_name": "Quận Huyện",
    "district_code": "Mã QH",
    "ward_name": "Phường Xã",
    "ward_code": "Mã PX",
    "level": "Cấp",
}
PLAIN_COLUMNS = {
    "district_code": "district_code",
    "district_name": "district_name",
    "district_kind": "district_type",
    "ward_code": "ward_code",
    "ward_name": "ward_name",
    "level": "ward_type",
}
# From 01/07/2025: no district level.
GSO_UNITS_COLUMNS = {"province_code": "Mã TP", "ward_name": "Phường Xã", "ward_code": "Mã PX", "level": "Cấp"}
UNITS_COLUMNS = {"ward_code": "code", "ward_name": "name", "level": "kind"}
# The list of 01/01/2025 as the reference data gives it: the plain list with the district's code and full name.
UNITS_DISTRICTS_COLUMNS = UNITS_COLUMNS | {"district_code": "district_code", "district_name": "district_name"}
LAYOUTS = {
    "gso": GSO_COLUMNS,
    "plain": PLAIN_COLUMNS,
    "units_districts": UNITS_DISTRICTS_COLUMNS,
    "gso_units": GSO_UNITS_COLUMNS,
    "units": UNITS_COLUMNS,
}
WITH_DISTRICTS = {"gso", "plain", "units_districts"}
SUCCESSORS_COLUMN = "successor_codes"
PROVINCE_COLUMN = "province"
KNOWN_HEADERS = {
    header_key(h)
    for layout in LAYOUTS.values()
    for h in [*layout.values(), SUCCESSORS_COLUMN, PROVINCE_COLUMN]
}
# A province named in words (the plain list's optional column): the names the statistics office gives.
PROVINCE_NAMES = {"01": "Hà Nội"}

DISTRICT_KINDS = {header_key(k.label): k for k in DistrictKind} | {k.value: k for k in DistrictKind}
WARD_KINDS = {header_key(k.label): k for k in WardKind} | {k.value: k for k in WardKind}


class WardFileError(SpreadsheetError):
    """The file as a whole cannot be imported (unreadable, a column missing…)."""


@dataclass(frozen=True)
class WardRow:
    row: int
    district_code: str  # empty in a list without districts (from 01/07/2025)
    district_name: str
    district_kind: str
    ward_code: str
    ward_name: str
    successor_codes: tuple[str, ...] = ()
    ward_kind: str = WardKind.WARD


@dataclass
class WardList:
    layout: str
    rows: list[WardRow]
    refused: list[tuple[int, str]]
    out_of_scope: dict[str, int]
    # Codes of refused rows: such a ward is not "missing from the file", so the preview never shows it retired.
    refused_codes: set[str] = field(default_factory=set)

    @property
    def with_districts(self) -> bool:
        return self.layout in WITH_DISTRICTS


def gso_code(value: str, width: int) -> str | None:
    """A GSO code, zero-padded: Excel drops the leading zeros of a code typed or saved as a number."""
    return value.zfill(width) if re.fullmatch(r"[0-9]+", value) and len(value) <= width else None


def _strip_prefix(name: str, kinds) -> tuple[str, object | None]:
    for kind in kinds:
        prefix = f"{kind.label} "
        if name.casefold().startswith(prefix.casefold()):
            return name[len(prefix) :].strip(), kind
    return name, None


def _columns(table: Table) -> tuple[str, dict[str, int]]:
    """The layout whose columns are all there (the fullest such), and where each column is."""
    positions = {header_key(h): i for i, h in reversed(list(enumerate(table.header))) if h}
    found = {
        name: sum(header_key(h) in positions for h in columns.values()) for name, columns in LAYOUTS.items()
    }
    complete = [name for name, columns in LAYOUTS.items() if found[name] == len(columns)]
    layout = max(complete, key=lambda name: found[name]) if complete else max(found, key=found.get)
    wanted = LAYOUTS[layout]
    missing = [h for h in wanted.values() if header_key(h) not in positions]
    if missing:
        raise WardFileError(
            _("Thiếu cột {columns} ở dòng tiêu đề (dòng {row}).").format(
                columns=", ".join(f"“{h}”" for h in missing), row=table.header_row
            )
        )
    columns = {key: positions[header_key(h)] for key, h in wanted.items()}
    for key, header in (("successors", SUCCESSORS_COLUMN), ("province", PROVINCE_COLUMN)):
        if header_key(header) in positions:
            columns[key] = positions[header_key(header)]
    return layout, columns


def _province_of(cell: dict, layout: str) -> tuple[str | None, str]:
    """(the row's province code or None when it cannot be told, the raw value)."""
    raw = cell.get("province_code", cell.get("province", ""))
    code = gso_code(raw, 2)
    if code is not None or layout != "units":
        return code, raw
    bare, _kind = _strip_prefix(raw, [_Prefix("Thành phố"), _Prefix("Tỉnh")])
    for province, name in PROVINCE_NAMES.items():
        if fold(bare) == fold(name):
            return province, raw
    return ("" if raw else None), raw  # a name not ours: another province


@dataclass(frozen=True)
class _Prefix:
    label: str


def read_ward_list(content: bytes, *, province_code: str) -> WardList:
    """Read and check every row. Raises WardFileError for a file that cannot be read at all."""
    try:
        table = read_table(content, max_bytes=settings.IMPORT_MAX_BYTES, known_headers=KNOWN_HEADERS)
    except SpreadsheetError as e:
        raise WardFileError(str(e)) from e
    layout, columns = _columns(table)
    with_districts = layout in WITH_DISTRICTS
    rows, refused, out_of_scope, refused_codes = [], [], {}, set()
    seen_wards: dict[str, int] = {}
    seen_districts: dict[str, tuple[int, str, str]] = {}

    def skip(reason):
        out_of_scope[reason] = out_of_scope.get(reason, 0) + 1

    for number, cells in table.rows:
        cell = {key: (cells[i] if i < len(cells) else "") for key, i in columns.items()}
        if "province_code" in cell or cell.get("province"):
            province, raw = _province_of(cell, layout)
            if province is None:
                refused.append((number, _("Mã tỉnh “{code}” không hợp lệ.").format(code=raw)))
                continue
            if province != province_code:
                skip(_("tỉnh, thành phố khác"))
                continue
        level = WARD_KINDS.get(header_key(cell["level"]))
        if level is None:
            refused.append((number, _("Cấp “{level}” không hợp lệ.").format(level=cell["level"])))
            refused_codes.add(gso_code(cell["ward_code"], 5) or "")
            continue
        if with_districts and level != WardKind.WARD:
            skip(level.label.lower())
            continue

        ward_name, _kind = _strip_prefix(cell["ward_name"], [level])
        ward_code = gso_code(cell["ward_code"], 5)
        problems = []
        district_code = district_name = ""
        district_kind = None
        if with_districts:
            district_name, prefix_kind = _strip_prefix(cell["district_name"], DistrictKind)
            if layout != "plain":
                district_kind = prefix_kind
            else:
                district_kind = DISTRICT_KINDS.get(header_key(cell["district_kind"]))
            district_code = gso_code(cell["district_code"], 3)
            if district_code is None:
                problems.append(
                    _("Mã quận, huyện “{code}” không hợp lệ (cần 3 chữ số).").format(
                        code=cell["district_code"]
                    )
                )
            if not district_name:
                problems.append(_("Thiếu tên quận, huyện."))
            if district_kind is None:
                problems.append(
                    _("Không rõ loại đơn vị cấp huyện của “{name}”.").format(
                        name=cell.get("district_kind") or cell["district_name"]
                    )
                )
        if ward_code is None:
            problems.append(
                _("Mã phường “{code}” không hợp lệ (cần 5 chữ số).").format(code=cell["ward_code"])
            )
        if not ward_name:
            problems.append(_("Thiếu tên phường, xã."))
        successors = []
        for raw in re.split(r"[\s,;]+", cell.get("successors", "")):
            if raw:
                code = gso_code(raw, 5)
                if code is None or code == ward_code:
                    problems.append(_("Mã phường kế thừa “{code}” không hợp lệ.").format(code=raw))
                successors.append(code)
        if not problems and ward_code in seen_wards:
            problems.append(
                _("Mã phường {code} trùng với dòng {row}.").format(code=ward_code, row=seen_wards[ward_code])
            )
        if not problems and district_code in seen_districts:
            first_row, first_name, first_kind = seen_districts[district_code]
            if (first_name, first_kind) != (district_name, district_kind):
                problems.append(
                    _("Mã quận {code} ở dòng {first} là “{first_name}”, ở dòng này lại là “{name}”.").format(
                        code=district_code,
                        first=first_row,
                        first_name=f"{DistrictKind(first_kind).label} {first_name}",
                        name=f"{DistrictKind(district_kind).label} {district_name}",
                    )
                )
        if problems:
            refused.append((number, " ".join(problems)))
            if ward_code:
                refused_codes.add(ward_code)
            continue
        seen_wards[ward_code] = number
        if with_districts:
            seen_districts.setdefault(district_code, (number, district_name, district_kind))
        rows.append(
            WardRow(
                row=number,
                district_code=district_code,
                district_name=district_name,
                district_kind=district_kind.value if district_kind else "",
                ward_code=ward_code,
                ward_name=ward_name,
                successor_codes=tuple(successors),
                ward_kind=level.value,
            )
        )
    if not rows and not refused:
        raise WardFileError(
            _("Tệp không có phường, xã nào của tỉnh, thành phố mã {code}.").format(code=province_code)
        )
    return WardList(
        layout=layout, rows=rows, refused=refused, out_of_scope=out_of_scope, refused_codes=refused_codes
    )
