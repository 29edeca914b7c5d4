"""An import's plan: an official list (wards.imports) compared with the recorded map of the day before its date,
and with the mapping of old units to new ones (wards.mapping) when there is one. Nothing here writes: the plan is
what `services.unit_changes_write` will do, and the preview shows it."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max
from django.utils.translation import gettext as _

from cqdt_portal.lib.vn import fold

from .imports import WardList
from .mapping import Mapping
from .models import District, DistrictKind, Relation, Succession, Ward, WardChange, WardKind

CHANGE_KEYS = [
    "districts_created",
    "districts_renamed",
    "districts_ended",
    "created",
    "renamed",
    "moved",
    "retired",
    "successions",
]


@dataclass
class ImportPlan:
    """What an import will do. Each change is a dict of plain values, so the plan can be shown and logged."""

    effective_on: date
    correction: bool = False
    districts_created: list[dict] = field(default_factory=list)
    districts_renamed: list[dict] = field(default_factory=list)
    districts_ended: list[dict] = field(default_factory=list)
    created: list[dict] = field(default_factory=list)
    renamed: list[dict] = field(default_factory=list)
    moved: list[dict] = field(default_factory=list)
    retired: list[dict] = field(default_factory=list)
    # {predecessor (code of a unit the portal holds, ending) or "", predecessor_name, successor, relation}
    successions: list[dict] = field(default_factory=list)
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)
    out_of_scope: dict[str, int] = field(default_factory=dict)
    covered_districts: list[str] = field(default_factory=list)
    whole_list: bool = False  # a list without districts: every unit of the province is in it

    @property
    def can_apply(self) -> bool:
        return not self.refused

    @property
    def has_changes(self) -> bool:
        return any(getattr(self, key) for key in CHANGE_KEYS)

    def counts(self) -> dict[str, int]:
        return {key: len(getattr(self, key)) for key in CHANGE_KEYS} | {
            "unchanged": self.unchanged,
            "refused": len(self.refused),
            "out_of_scope": sum(self.out_of_scope.values()),
        }

    def fingerprint(self) -> dict:
        """The changes by code: an apply must do what the preview showed, or be refused."""
        result = {key: sorted(item["code"] for item in getattr(self, key)) for key in CHANGE_KEYS[:-1]}
        result["successions"] = sorted(
            [i["predecessor"], i["predecessor_name"], i["successor"], i["relation"]]
            for i in self.successions
            if i["source"] != "admin"
        )
        return result

    def summary(self) -> dict:
        return {
            "effective_on": self.effective_on.isoformat(),
            "correction": self.correction,
            "counts": self.counts(),
            "changes": {key: getattr(self, key) for key in CHANGE_KEYS},
            "refused": [{"row": row, "reason": reason} for row, reason in self.refused],
            "out_of_scope": self.out_of_scope,
            "covered_districts": self.covered_districts,
            "whole_list": self.whole_list,
        }


def latest_change_on() -> date | None:
    """The last day the recorded map changed: the latest day a unit began, or the day after one ended."""
    days = []
    for model in (District, Ward):
        found = model.objects.aggregate(began=Max("valid_from"), ended=Max("valid_to"))
        days += [found["began"], found["ended"] and found["ended"] + timedelta(days=1)]
    days.append(WardChange.objects.aggregate(day=Max("effective_on"))["day"])
    return max((d for d in days if d), default=None)


def _day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def plan_import(
    ward_list: WardList,
    *,
    effective_on: date,
    successors: dict[str, list[str]] | None = None,
    correction: bool = False,
    mapping: Mapping | None = None,
):
    """Compare the list with the map of the day before `effective_on` (units that end that day are gone, units
    that begin on it are there already: importing the same list again changes nothing). `successors` (from the
    preview form) and `mapping` say where ended units went.

    A list with districts touches only the districts it covers: a ward of another district never ends. A list
    without districts is the whole province; when the map of the day before still had districts, it is the
    end of the district level: every unit and district ends, and every unit of the list is new (a code names a
    unit only within its lifespan: the 2025 list gave old codes to other places).

    A list dated before the latest change already recorded would rewrite history: it is refused, unless the
    admin asks for it as a historical correction (then the preview spells out each unit it changes).
    """
    successors = successors or {}
    plan = ImportPlan(effective_on=effective_on, correction=correction, refused=list(ward_list.refused))
    plan.out_of_scope = dict(ward_list.out_of_scope)
    if mapping is not None:
        plan.refused += mapping.refused
    latest = latest_change_on()
    if latest and effective_on < latest and not correction:
        plan.refused.append(
            (
                0,
                _(
                    "Danh mục có hiệu lực từ {day}, trước lần thay đổi địa bàn gần nhất đã ghi ({latest}): nhập "
                    "sẽ viết lại lịch sử. Nếu đây là đính chính lịch sử, hãy nhập lại và chọn “Đính chính lịch sử”."
                ).format(day=_day(effective_on), latest=_day(latest)),
            )
        )
    last_day = effective_on - timedelta(days=1)
    # The map of the day before, without what ends that day; and what is already recorded as beginning on it.
    continuing = {
        w.code: w
        for w in Ward.objects.existing_on(last_day).exclude(valid_to=last_day).select_related("district")
    }
    began = {w.code: w for w in Ward.objects.filter(valid_from=effective_on).select_related("district")}
    continuing_districts = {
        d.code: d for d in District.objects.existing_on(last_day).exclude(valid_to=last_day)
    }
    districts = continuing_districts | {d.code: d for d in District.objects.filter(valid_from=effective_on)}
    reissued = set()
    if mapping is not None:
        # A code the mapping gives to a new unit made (in part) from the unit that held it: the old one ends.
        reissued = {m.new_code for m in mapping.rows} & {m.old_code for m in mapping.rows} & set(continuing)
    if ward_list.with_districts:
        if continuing and not any(w.district_id for w in continuing.values()):
            plan.refused.append((0, _(
                "Danh mục có cấp quận, huyện, nhưng từ {day} địa bàn không còn cấp huyện: hãy dùng danh mục "
                "không có cột quận, huyện (mã, tên, loại)."
            ).format(day=_day(min((w.valid_from for w in continuing.values() if w.valid_from), default=last_day)))))  # fmt: skip
        covered = sorted({r.district_code for r in ward_list.rows})
        plan.covered_districts = covered
        in_scope = {code for code, w in continuing.items() if w.district and w.district.code in covered}
        _plan_districts(plan, ward_list, districts)
        new_map = False
    else:
        plan.whole_list = True
        new_map = any(w.district_id for w in continuing.values()) or bool(continuing_districts)
        in_scope = set(continuing)
        if new_map:
            plan.districts_ended = [
                {"code": d.code, "name": d.full_name}
                for d in sorted(continuing_districts.values(), key=lambda d: d.code)
            ]

    for row in ward_list.rows:
        item = {
            "code": row.ward_code,
            "name": row.ward_name,
            "kind": row.ward_kind,
            "district": f"{DistrictKind(row.district_kind).label} {row.district_name}"
            if row.district_code
            else "",
            "district_code": row.district_code,
            "row": row.row,
        }
        if row.successor_codes:
            continue
        ward = began.get(row.ward_code)
        if ward is None and not new_map and row.ward_code not in reissued:
            ward = continuing.get(row.ward_code)
        if ward is None:
            plan.created.append(item)
            continue
        changed = False
        if (ward.name, ward.kind) != (row.ward_name, row.ward_kind):
            new = f"{WardKind(row.ward_kind).label} {row.ward_name}"
            plan.renamed.append(item | {"old": ward.full_name, "new": new})
            changed = True
        if ward_list.with_districts and (ward.district is None or ward.district.code != row.district_code):
            old = ward.district.full_name if ward.district else ""
            plan.moved.append(item | {"old": old, "new": item["district"]})
            changed = True
        plan.unchanged += not changed

    _plan_ends(plan, ward_list, continuing, in_scope, reissued, new_map, successors, last_day)
    _check_created_codes(plan, last_day)
    ended_that_day = (
        {w.code: {"name": w.name, "kind": w.kind} for w in Ward.objects.filter(valid_to=last_day)}
        if mapping
        else {}
    )
    _plan_successions(plan, mapping, continuing, began, ended_that_day)
    plan.refused.sort(key=lambda item: item[0])
    return plan


def _plan_districts(plan: ImportPlan, ward_list: WardList, districts: dict) -> None:
    first_row = {}
    for row in ward_list.rows:
        first_row.setdefault(row.district_code, row)
    for code, row in first_row.items():
        full = f"{DistrictKind(row.district_kind).label} {row.district_name}"
        district = districts.get(code)
        if district is None:
            plan.districts_created.append({"code": code, "name": full, "row": row.row})
        elif (district.name, district.kind) != (row.district_name, row.district_kind):
            plan.districts_renamed.append(
                {"code": code, "old": district.full_name, "new": full, "row": row.row}
            )


def _plan_ends(plan, ward_list, continuing, in_scope, reissued, new_map, successors, last_day) -> None:
    """The units that end on the day before the list's date: those of its scope missing from it, those a row's
    successor_codes names, every unit when the list is a new map, and each code the mapping gives to a new unit."""
    retire_rows = {r.ward_code: r for r in ward_list.rows if r.successor_codes}
    ended_before = set(
        Ward.objects.filter(code__in=list(retire_rows), valid_to__lte=last_day).values_list("code", flat=True)
    )
    for code, row in retire_rows.items():
        ward = continuing.get(code)
        if ward is not None:
            plan.retired.append(_retired_item(ward, row.successor_codes, row=row.row))
        elif code in ended_before:
            plan.unchanged += 1
        else:
            plan.refused.append((row.row, _(
                "Phường {code} chưa có trong danh mục nên không thể ghi là đã thôi tồn tại."
            ).format(code=code)))  # fmt: skip
    file_codes = {r.ward_code for r in ward_list.rows}
    for code in sorted(in_scope):
        ending = (
            new_map or code in reissued or (code not in file_codes and code not in ward_list.refused_codes)
        )
        if ending and code not in retire_rows:
            plan.retired.append(_retired_item(continuing[code], tuple(successors.get(code, ())), row=None))
    if plan.correction:
        for item in plan.retired:
            ward = continuing[item["code"]]
            if ward.valid_to is not None:
                plan.refused.append((item["row"] or 0, _(
                    "Đính chính không thể cho {unit} ({code}) kết thúc từ {day}: đơn vị đã có ngày kết thúc "
                    "{end} đã ghi."
                ).format(unit=ward.full_name, code=ward.code, day=_day(plan.effective_on), end=_day(ward.valid_to))))  # fmt: skip


def _check_created_codes(plan: ImportPlan, last_day: date) -> None:
    """A new unit takes a code only where no other unit holds it from its first day on, and an old list cannot
    bring back a unit that ended (the same code and name as a unit gone before): that list is out of date."""
    codes = [item["code"] for item in plan.created]
    ending = {item["code"] for item in plan.retired}
    holders: dict[str, list[Ward]] = {}
    for ward in Ward.objects.filter(code__in=codes).exclude(valid_to__lte=last_day).order_by("valid_from"):
        holders.setdefault(ward.code, []).append(ward)
    gone: dict[str, Ward] = {}
    for ward in Ward.objects.filter(code__in=codes, valid_to__lt=last_day).order_by("valid_to"):
        gone[ward.code] = ward
    for item in plan.created:
        held = [w for w in holders.get(item["code"], []) if not (w.code in ending and w.valid_to is None)]
        if held:
            plan.refused.append((item["row"], _(
                "Mã {code} đang là mã của {unit} (từ {day}); một mã chỉ thuộc một đơn vị tại một thời điểm."
            ).format(code=item["code"], unit=held[0].full_name, day=_day(held[0].valid_from) if held[0].valid_from
                     else _("trước khi có dữ liệu"))))  # fmt: skip
            continue
        old = gone.get(item["code"])
        if old is not None and fold(old.name) == fold(item["name"]) and old.kind == item["kind"]:
            plan.refused.append((item["row"], _(
                "{unit} ({code}) đã thôi tồn tại từ {day}{act}: danh mục này có thể là danh mục cũ. Kiểm tra "
                "ngày hiệu lực; một đơn vị đã kết thúc không được khôi phục."
            ).format(unit=old.full_name, code=old.code, day=_day(old.valid_to + timedelta(days=1)),
                     act=f" ({old.ended_by})" if old.ended_by else "")))  # fmt: skip


def _plan_successions(
    plan: ImportPlan, mapping: Mapping | None, continuing: dict, began: dict, ended_that_day: dict
) -> None:
    """Where the ending units went: a row's successor_codes or the admin's choice (how much is not known), and
    the mapping's rows (how much, in the act's words). A successor is a unit that exists from the list's date."""
    ending = {item["code"]: item for item in plan.retired}
    created = {item["code"]: item for item in plan.created}
    staying = {code for code in continuing if code not in ending} | set(began)
    items = []
    for item in plan.retired:
        for code in item["successors"]:
            if code in ending or (code not in staying and code not in created):
                plan.refused.append((item["row"] or 0, _(
                    "Phường kế thừa {code} của phường {ward} không phải phường còn tồn tại."
                ).format(code=code, ward=item["code"])))  # fmt: skip
                continue
            items.append({
                "predecessor": item["code"],
                "predecessor_name": f"{WardKind(item['kind']).label} {item['name']}",
                "successor": code,
                "relation": Relation.UNSPECIFIED.value,
                "relation_label": str(Relation.UNSPECIFIED.label),
                # The admin's choice in the preview comes only with the confirmation.
                "source": "file" if item["row"] is not None else "admin",
            })  # fmt: skip
    if mapping is not None:
        names = (
            {code: item["name"] for code, item in created.items()}
            | {code: w.name for code, w in continuing.items() if code not in ending}
            | {code: w.name for code, w in began.items()}
        )
        for row in mapping.rows:
            problems = []
            if row.new_code not in names:  # a new unit of the list, or one that stays
                problems.append(_("mã mới {code} không phải đơn vị có từ {day}.").format(
                    code=row.new_code, day=_day(plan.effective_on)))  # fmt: skip
            elif fold(names[row.new_code]) != fold(row.new_name):
                problems.append(_("mã mới {code} là “{name}” trong danh mục, bảng ghi “{given}”.").format(
                    code=row.new_code, name=names[row.new_code], given=row.new_name))  # fmt: skip
            # The old unit the portal holds: one ending now, or one that ended that day (the list imported again).
            held = ending.get(row.old_code) or ended_that_day.get(row.old_code) if row.old_code else None
            if held is not None and (fold(held["name"]), held["kind"]) != (fold(row.old_name), row.old_kind):
                problems.append(_("mã cũ {code} là {kind} {name}, bảng ghi “{given}”.").format(
                    code=row.old_code, kind=WardKind(held["kind"]).label, name=held["name"],
                    given=row.old_label))  # fmt: skip
            if problems:
                plan.refused.append((0, _("Bảng chuyển đổi, dòng {row}: {problems}").format(
                    row=row.row, problems=" ".join(problems))))  # fmt: skip
                continue
            items.append({
                # An old unit the portal never held (a xã of a huyện before 2025) is named in words only.
                "predecessor": row.old_code if held is not None else "",
                "predecessor_name": row.old_label,
                "successor": row.new_code,
                "relation": row.relation,
                "relation_label": str(Relation(row.relation).label),
                "source": "mapping",
            })  # fmt: skip
            if row.old_code in ending:
                held["successors"] = sorted({*held["successors"], row.new_code})
    # Already recorded (the same list imported again, or the reference data's reorganisation): not a change.
    recorded = {
        (s.predecessor.code if s.predecessor_id else s.predecessor_name, s.successor.code)
        for s in Succession.objects.filter(effective_on=plan.effective_on).select_related(
            "predecessor", "successor"
        )
    }
    plan.successions = [
        i for i in items if (i["predecessor"] or i["predecessor_name"], i["successor"]) not in recorded
    ]


def _retired_item(ward: Ward, successors: tuple[str, ...], *, row: int | None) -> dict:
    return {
        "code": ward.code,
        "name": ward.name,
        "kind": ward.kind,
        "district": ward.district.full_name if ward.district else "",
        "district_code": ward.district.code if ward.district else "",
        "row": row,
        "successors": list(successors),
    }
