"""The official ward list: read a file into rows, then compare it with the database into an import plan.

Two layouts are read: the statistics office's (GSO) export, exactly as its site gives it (`Tỉnh Thành Phố, Mã TP,
Quận Huyện, Mã QH, Phường Xã, Mã PX, Cấp, Tên Tiếng Anh`; names carry their prefix, "Quận Ba Đình"), and the
project's plain table (`district_code, district_name, district_type, ward_code, ward_name, ward_type`). Either may
add a `successor_codes` column: a row that has it names a ward that no longer exists and the wards it went into.

Only one province is kept, and of it only the phường and the district-level units that contain them (the pilot of
Resolution 97/2019/QH14 covers the phường); other rows are counted as out of scope. Nothing here writes: the
plan is what `services.ward_changes_write` will do, and the preview shows it.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from cqdt_portal.lib.spreadsheets import SpreadsheetError, Table, header_key, read_table

from .models import District, DistrictKind, Ward, WardKind

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
SUCCESSORS_COLUMN = "successor_codes"
KNOWN_HEADERS = {header_key(h) for h in [*GSO_COLUMNS.values(), *PLAIN_COLUMNS.values(), SUCCESSORS_COLUMN]}

DISTRICT_KINDS = {header_key(k.label): k for k in DistrictKind} | {k.value: k for k in DistrictKind}
WARD_KINDS = {header_key(k.label): k for k in WardKind} | {k.value: k for k in WardKind}


class WardFileError(SpreadsheetError):
    """The file as a whole cannot be imported (unreadable, a column missing…)."""


@dataclass(frozen=True)
class WardRow:
    row: int
    district_code: str
    district_name: str
    district_kind: str
    ward_code: str
    ward_name: str
    successor_codes: tuple[str, ...] = ()


@dataclass
class WardList:
    layout: str
    rows: list[WardRow]
    refused: list[tuple[int, str]]
    out_of_scope: dict[str, int]
    # Codes of refused rows: such a ward is not "missing from the file", so the preview never shows it retired.
    refused_codes: set[str] = field(default_factory=set)


def _code(value: str, width: int) -> str | None:
    """A GSO code, zero-padded: Excel drops the leading zeros of a code typed or saved as a number."""
    return value.zfill(width) if re.fullmatch(r"[0-9]+", value) and len(value) <= width else None


def _strip_prefix(name: str, kinds) -> tuple[str, object | None]:
    for kind in kinds:
        prefix = f"{kind.label} "
        if name.casefold().startswith(prefix.casefold()):
            return name[len(prefix) :].strip(), kind
    return name, None


def _columns(table: Table) -> tuple[str, dict[str, int]]:
    positions = {header_key(h): i for i, h in reversed(list(enumerate(table.header))) if h}
    layouts = {"gso": GSO_COLUMNS, "plain": PLAIN_COLUMNS}
    layout = max(layouts, key=lambda name: sum(header_key(h) in positions for h in layouts[name].values()))
    wanted = layouts[layout]
    missing = [h for h in wanted.values() if header_key(h) not in positions]
    if missing:
        raise WardFileError(
            _("Thiếu cột {columns} ở dòng tiêu đề (dòng {row}).").format(
                columns=", ".join(f"“{h}”" for h in missing), row=table.header_row
            )
        )
    columns = {key: positions[header_key(h)] for key, h in wanted.items()}
    if header_key(SUCCESSORS_COLUMN) in positions:
        columns["successors"] = positions[header_key(SUCCESSORS_COLUMN)]
    return layout, columns


def read_ward_list(content: bytes, *, province_code: str) -> WardList:
    """Read and check every row. Raises WardFileError for a file that cannot be read at all."""
    try:
        table = read_table(content, max_bytes=settings.IMPORT_MAX_BYTES, known_headers=KNOWN_HEADERS)
    except SpreadsheetError as e:
        raise WardFileError(str(e)) from e
    layout, columns = _columns(table)
    rows, refused, out_of_scope, refused_codes = [], [], {}, set()
    seen_wards: dict[str, int] = {}
    seen_districts: dict[str, tuple[int, str, str]] = {}

    def skip(reason):
        out_of_scope[reason] = out_of_scope.get(reason, 0) + 1

    for number, cells in table.rows:
        cell = {key: (cells[i] if i < len(cells) else "") for key, i in columns.items()}
        if layout == "gso":
            province = _code(cell["province_code"], 2)
            if province is None:
                refused.append(
                    (number, _("Mã tỉnh “{code}” không hợp lệ.").format(code=cell["province_code"]))
                )
                continue
            if province != province_code:
                skip(_("tỉnh, thành phố khác"))
                continue
        level = WARD_KINDS.get(header_key(cell["level"]))
        if level is None:
            refused.append((number, _("Cấp “{level}” không hợp lệ.").format(level=cell["level"])))
            refused_codes.add(_code(cell["ward_code"], 5) or "")
            continue
        if level != WardKind.WARD:
            skip(level.label.lower())
            continue

        district_name, prefix_kind = _strip_prefix(cell["district_name"], DistrictKind)
        if layout == "gso":
            district_kind = prefix_kind
        else:
            district_kind = DISTRICT_KINDS.get(header_key(cell["district_kind"]))
        ward_name, _kind = _strip_prefix(cell["ward_name"], [WardKind.WARD])
        district_code, ward_code = _code(cell["district_code"], 3), _code(cell["ward_code"], 5)
        problems = []
        if district_code is None:
            problems.append(
                _("Mã quận, huyện “{code}” không hợp lệ (cần 3 chữ số).").format(code=cell["district_code"])
            )
        if ward_code is None:
            problems.append(
                _("Mã phường “{code}” không hợp lệ (cần 5 chữ số).").format(code=cell["ward_code"])
            )
        if not district_name or not ward_name:
            problems.append(_("Thiếu tên quận hoặc tên phường."))
        if district_kind is None:
            problems.append(
                _("Không rõ loại đơn vị cấp huyện của “{name}”.").format(
                    name=cell.get("district_kind") or cell["district_name"]
                )
            )
        successors = []
        for raw in re.split(r"[\s,;]+", cell.get("successors", "")):
            if raw:
                code = _code(raw, 5)
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
        seen_districts.setdefault(district_code, (number, district_name, district_kind))
        rows.append(
            WardRow(
                row=number,
                district_code=district_code,
                district_name=district_name,
                district_kind=district_kind.value,
                ward_code=ward_code,
                ward_name=ward_name,
                successor_codes=tuple(successors),
            )
        )
    if not rows and not refused:
        raise WardFileError(
            _("Tệp không có phường nào của tỉnh, thành phố mã {code}.").format(code=province_code)
        )
    return WardList(
        layout=layout, rows=rows, refused=refused, out_of_scope=out_of_scope, refused_codes=refused_codes
    )


@dataclass
class ImportPlan:
    """What an import will do. Each change is a dict of plain values, so the plan can be shown and logged."""

    effective_on: date
    districts_created: list[dict] = field(default_factory=list)
    districts_renamed: list[dict] = field(default_factory=list)
    created: list[dict] = field(default_factory=list)
    renamed: list[dict] = field(default_factory=list)
    moved: list[dict] = field(default_factory=list)
    restored: list[dict] = field(default_factory=list)
    retired: list[dict] = field(default_factory=list)
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)
    out_of_scope: dict[str, int] = field(default_factory=dict)
    covered_districts: list[str] = field(default_factory=list)

    @property
    def can_apply(self) -> bool:
        return not self.refused

    @property
    def has_changes(self) -> bool:
        return any(
            [self.districts_created, self.districts_renamed, self.created, self.renamed, self.moved]
            + [self.restored, self.retired]
        )

    def counts(self) -> dict[str, int]:
        return {
            "districts_created": len(self.districts_created),
            "districts_renamed": len(self.districts_renamed),
            "created": len(self.created),
            "renamed": len(self.renamed),
            "moved": len(self.moved),
            "restored": len(self.restored),
            "retired": len(self.retired),
            "unchanged": self.unchanged,
            "refused": len(self.refused),
            "out_of_scope": sum(self.out_of_scope.values()),
        }

    def fingerprint(self) -> dict:
        """The changes by code: an apply must do what the preview showed, or be refused."""
        keys = [
            "districts_created",
            "districts_renamed",
            "created",
            "renamed",
            "moved",
            "restored",
            "retired",
        ]
        return {key: sorted(item["code"] for item in getattr(self, key)) for key in keys}

    def summary(self) -> dict:
        return {
            "effective_on": self.effective_on.isoformat(),
            "counts": self.counts(),
            "changes": {
                key: getattr(self, key)
                for key in ["districts_created", "districts_renamed", "created", "renamed", "moved"]
                + ["restored", "retired"]
            },
            "refused": [{"row": row, "reason": reason} for row, reason in self.refused],
            "out_of_scope": self.out_of_scope,
            "covered_districts": self.covered_districts,
        }


def plan_import(ward_list: WardList, *, effective_on: date, successors: dict[str, list[str]] | None = None):
    """Compare the list with the database. `successors` (from the preview form) says where retired wards went.

    Only the districts the file covers are touched: a ward of another district is never retired.
    """
    successors = successors or {}
    plan = ImportPlan(effective_on=effective_on, refused=list(ward_list.refused))
    plan.out_of_scope = dict(ward_list.out_of_scope)
    retire_rows = [r for r in ward_list.rows if r.successor_codes]
    live_rows = [r for r in ward_list.rows if not r.successor_codes]
    covered = sorted({r.district_code for r in ward_list.rows})
    plan.covered_districts = covered
    districts = {d.code: d for d in District.objects.filter(code__in=covered)}
    file_codes = {r.ward_code for r in ward_list.rows}
    wards = {
        w.code: w
        for w in Ward.objects.filter(
            Q(code__in=file_codes) | Q(district__code__in=covered, retired_on__isnull=True)
        ).select_related("district")
    }

    for row in ward_list.rows:
        if row.district_code in districts or any(
            d["code"] == row.district_code for d in plan.districts_created
        ):
            continue
        full = f"{DistrictKind(row.district_kind).label} {row.district_name}"
        plan.districts_created.append({"code": row.district_code, "name": full, "row": row.row})
    for code, district in districts.items():
        row = next(r for r in ward_list.rows if r.district_code == code)
        if (district.name, district.kind) != (row.district_name, row.district_kind):
            new = f"{DistrictKind(row.district_kind).label} {row.district_name}"
            plan.districts_renamed.append(
                {"code": code, "old": district.full_name, "new": new, "row": row.row}
            )

    def district_label(row):
        return f"{DistrictKind(row.district_kind).label} {row.district_name}"

    for row in live_rows:
        ward = wards.get(row.ward_code)
        item = {
            "code": row.ward_code,
            "name": row.ward_name,
            "district": district_label(row),
            "district_code": row.district_code,
            "row": row.row,
        }
        if ward is None:
            plan.created.append(item)
            continue
        changed = False
        if ward.is_retired:
            plan.restored.append(item | {"retired_on": ward.retired_on.strftime("%d/%m/%Y")})
            changed = True
        if ward.name != row.ward_name:
            plan.renamed.append(item | {"old": ward.name, "new": row.ward_name})
            changed = True
        if ward.district.code != row.district_code:
            plan.moved.append(item | {"old": ward.district.full_name, "new": district_label(row)})
            changed = True
        plan.unchanged += not changed

    staying = {r.ward_code for r in live_rows} | {
        code for code, w in wards.items() if not w.is_retired and w.district.code not in covered
    }
    for row in retire_rows:
        ward = wards.get(row.ward_code)
        if ward is None:
            plan.refused.append(
                (
                    row.row,
                    _("Phường {code} chưa có trong danh mục nên không thể ghi là đã thôi tồn tại.").format(
                        code=row.ward_code
                    ),
                )
            )
        elif ward.is_retired:
            plan.unchanged += 1
        else:
            plan.retired.append(_retired_item(ward, row.successor_codes, row=row.row))
    retire_codes = {r.ward_code for r in retire_rows}
    for code, ward in sorted(wards.items()):
        missing = code not in file_codes and code not in ward_list.refused_codes
        if missing and not ward.is_retired and ward.district.code in covered:
            plan.retired.append(_retired_item(ward, tuple(successors.get(code, ())), row=None))
            retire_codes.add(code)

    existing_active = set(
        Ward.objects.active().filter(code__in=_all_successors(plan)).values_list("code", flat=True)
    )
    for item in plan.retired:
        for code in item["successors"]:
            if code in retire_codes or (code not in staying and code not in existing_active):
                plan.refused.append(
                    (
                        item["row"] or 0,
                        _("Phường kế thừa {code} của phường {ward} không phải phường còn tồn tại.").format(
                            code=code, ward=item["code"]
                        ),
                    )
                )
    plan.refused.sort()

    return plan


def _retired_item(ward: Ward, successors: tuple[str, ...], *, row: int | None) -> dict:
    return {
        "code": ward.code,
        "name": ward.name,
        "district": ward.district.full_name,
        "district_code": ward.district.code,
        "row": row,
        "successors": list(successors),
    }


def _all_successors(plan: ImportPlan) -> set[str]:
    return {code for item in plan.retired for code in item["successors"]}
