import hashlib
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqdt_portal.lib.reference_data import parse_date
from cqdt_portal.lib.seeding import upsert

from .imports import ImportPlan, plan_import, read_ward_list
from .models import ChangeKind, District, Ward, WardChange, WardImport, WardKind
from .signals import wards_imported


class WardImportRefused(Exception):
    """The import cannot be applied; `plan` (when there is one) holds the refused rows."""

    def __init__(self, message: str, plan: ImportPlan | None = None):
        super().__init__(message)
        self.plan = plan


@transaction.atomic
def units_seed(*, districts: list[dict], retired_wards: list[dict]) -> dict:
    """Create or update districts and their phường; record the phường retired before the data's date.

    Successors are added, never removed, so history entered by an admin is kept.
    """
    counts: dict = {}
    for item in districts:
        district, _ = upsert(
            District,
            lookup={"code": item["code"]},
            values={"name": item["name"], "kind": item["kind"]},
            counts=counts,
        )
        for ward in item["wards"]:
            upsert(
                Ward,
                lookup={"code": ward["code"]},
                values={"name": ward["name"], "kind": WardKind.WARD, "district": district},
                counts=counts,
            )
    for item in retired_wards:
        ward, _ = upsert(
            Ward,
            lookup={"code": item["code"]},
            values={
                "name": item["name"],
                "kind": WardKind.WARD,
                "district": District.objects.get(code=item["district"]),
                "retired_on": parse_date(item["retired_on"]),
                "retirement_note": item.get("note", ""),
            },
            counts=counts,
        )
        known = set(ward.successors.values_list("code", flat=True))
        missing = [code for code in item.get("successors", []) if code not in known]
        if missing:
            ward.successors.add(*Ward.objects.filter(code__in=missing))
    return counts


def ward_import_stage(
    *, file_name: str, content: bytes, province_code: str, effective_on: date, by=None
) -> tuple[WardImport, ImportPlan]:
    """Read a ward list and keep it, unapplied, for its preview. Raises WardFileError for an unreadable file.

    Writes only the import's own record (state "previewed"); no district or ward is touched.
    """
    plan = plan_import(read_ward_list(content, province_code=province_code), effective_on=effective_on)
    ward_import = WardImport.objects.create(
        file_name=file_name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        province_code=province_code,
        effective_on=effective_on,
        uploaded_by=by,
        summary=plan.summary(),
    )
    return ward_import, plan


@transaction.atomic
def ward_import_apply(
    *, ward_import: WardImport, successors: dict[str, list[str]] | None = None
) -> ImportPlan:
    """Apply a staged import in one transaction: re-read the kept file, re-check it against the database as it
    is now, and refuse unless it does exactly what the preview showed. Records every change; deletes nothing.
    """
    locked = WardImport.objects.select_for_update().get(pk=ward_import.pk)
    if locked.state != WardImport.State.PREVIEWED:
        raise WardImportRefused(_("Lần nhập này đã được áp dụng."))
    ward_list = read_ward_list(bytes(locked.content), province_code=locked.province_code)
    # Two imports that cover the same districts run one after the other, each planned on the other's result.
    list(District.objects.select_for_update().filter(code__in={r.district_code for r in ward_list.rows}))
    plan = plan_import(ward_list, effective_on=locked.effective_on, successors=successors)
    if not plan.can_apply:
        raise WardImportRefused(
            _("Tệp có {n} dòng bị từ chối; chưa ghi gì vào cơ sở dữ liệu.").format(n=len(plan.refused)), plan
        )
    previewed = ImportPlan(effective_on=locked.effective_on, **_changes(locked.summary))
    if plan.fingerprint() != previewed.fingerprint():
        raise WardImportRefused(
            _("Danh mục đã thay đổi từ khi xem trước; hãy tải tệp lên và xem trước lại."), plan
        )
    ward_ids, district_ids = _write(plan, ward_list, locked)
    locked.state = WardImport.State.APPLIED
    locked.applied_at = timezone.now()
    locked.summary = plan.summary()
    locked.save(update_fields=["state", "applied_at", "summary"])
    wards_imported.send(
        sender=WardImport, ward_import_id=locked.pk, ward_ids=ward_ids, district_ids=district_ids
    )
    ward_import.refresh_from_db()
    return plan


@transaction.atomic
def wards_import(
    *, file_name: str, content: bytes, province_code: str, effective_on: date, by=None
) -> tuple[WardImport, ImportPlan]:
    """Stage and apply at once (the management command): all of it or, on any refusal, nothing."""
    ward_import, plan = ward_import_stage(
        file_name=file_name, content=content, province_code=province_code, effective_on=effective_on, by=by
    )
    if not plan.can_apply:
        raise WardImportRefused(
            _("Tệp có {n} dòng bị từ chối; chưa ghi gì vào cơ sở dữ liệu.").format(n=len(plan.refused)), plan
        )
    return ward_import, ward_import_apply(ward_import=ward_import)


def _changes(summary: dict) -> dict:
    return summary.get("changes", {})


def _write(plan: ImportPlan, ward_list, ward_import: WardImport) -> tuple[list[int], list[int]]:
    on = plan.effective_on
    rows = {r.ward_code: r for r in ward_list.rows}
    first_row = {}
    for r in ward_list.rows:
        first_row.setdefault(r.district_code, r)
    history = []

    def record(kind, district, ward=None, old="", new=""):
        history.append(
            WardChange(
                ward_import=ward_import,
                district=district,
                ward=ward,
                kind=kind,
                old_value=old,
                new_value=new,
                effective_on=on,
            )
        )

    for item in plan.districts_created:
        row = first_row[item["code"]]
        district = District.objects.create(
            code=row.district_code, name=row.district_name, kind=row.district_kind
        )
        record(ChangeKind.CREATED, district, new=district.full_name)
    for item in plan.districts_renamed:
        row = first_row[item["code"]]
        district = District.objects.select_for_update().get(code=item["code"])
        district.name, district.kind = row.district_name, row.district_kind
        district.save(update_fields=["name", "kind"])
        record(ChangeKind.RENAMED, district, old=item["old"], new=item["new"])
    districts = {d.code: d for d in District.objects.filter(code__in=plan.covered_districts)}

    ward_ids = []
    for item in plan.created:
        row = rows[item["code"]]
        ward = Ward.objects.create(
            code=row.ward_code, name=row.ward_name, kind=WardKind.WARD, district=districts[row.district_code]
        )
        ward_ids.append(ward.pk)
        record(ChangeKind.CREATED, ward.district, ward, new=ward.full_name)
    touched = {i["code"] for i in plan.renamed + plan.moved + plan.restored}
    wards = {
        w.code: w
        for w in Ward.objects.select_for_update().filter(code__in=touched).select_related("district")
    }
    for item in plan.restored:
        ward = wards[item["code"]]
        record(ChangeKind.RESTORED, ward.district, ward, old=item["retired_on"])
        ward.retired_on = None
        ward_ids.append(ward.pk)
    for item in plan.renamed:
        ward = wards[item["code"]]
        record(ChangeKind.RENAMED, ward.district, ward, old=item["old"], new=item["new"])
        ward.name = item["new"]
    for item in plan.moved:
        ward = wards[item["code"]]
        ward.district = districts[rows[item["code"]].district_code]
        record(ChangeKind.MOVED, ward.district, ward, old=item["old"], new=item["new"])
    for ward in wards.values():
        ward.save(update_fields=["name", "district", "retired_on"])

    retiring = {
        w.code: w for w in Ward.objects.select_for_update().filter(code__in=[i["code"] for i in plan.retired])
    }
    for item in plan.retired:
        ward = retiring[item["code"]]
        ward.retired_on = on
        ward.save(update_fields=["retired_on"])
        if item["successors"]:
            ward.successors.add(*Ward.objects.filter(code__in=item["successors"]))
        record(ChangeKind.RETIRED, ward.district, ward, new=", ".join(item["successors"]))
    WardChange.objects.bulk_create(history)
    return ward_ids, [d.pk for d in districts.values()]
