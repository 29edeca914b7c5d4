"""The reference data every page reads (departments, districts, wards and their renames, documents), kept in each
process while it is unchanged (cqdt_portal/lib/versions.py): the filter selects' choices, the units of a list's
rows and the dashboard's breakdowns, without a query of their own or a join per row.

Kept in three parts, each built when a page first needs it: the departments (one query), the units (districts,
wards with their district, renames: three), the documents (one). A task list needs two of them, a list of
assignments all three; no page pays for what it does not show."""

import copy
from datetime import date
from functools import cached_property

from django.utils.translation import get_language

from cqdt_portal.lib import versions
from org.models import Department
from plans.models import LegalDocument
from wards.models import ChangeKind, District, Ward, WardChange


def _departments() -> dict:
    # In the order the filter selects list them (Meta.ordering: by name, as the database sorts).
    return {d.pk: d for d in Department.objects.all()}


def _documents() -> dict:
    return {d.pk: d for d in LegalDocument.objects.all()}  # Meta.ordering: by date and number


def _units() -> tuple[dict, dict, dict]:
    districts = {d.pk: d for d in District.objects.order_by("code", "valid_from")}
    wards = {w.pk: w for w in Ward.objects.order_by("code", "valid_from")}
    for ward in wards.values():
        if ward.district_id is not None:
            Ward.district.field.set_cached_value(ward, districts[ward.district_id])
    renames: dict = {}  # {(kind, id): [(effective_on, full name before)]}, the earliest first
    changes = WardChange.objects.filter(kind=ChangeKind.RENAMED).order_by("effective_on", "pk")
    for ward_id, district_id, effective_on, old_name in changes.values_list(
        "ward_id", "district_id", "effective_on", "old_value"
    ):
        key = ("ward", ward_id) if ward_id is not None else ("district", district_id)
        renames.setdefault(key, []).append((effective_on, old_name))
    return districts, wards, renames


_PARTS = {"departments": _departments, "documents": _documents, "units": _units}


class Reference:
    """The reference data as of one token: each part read from what the process keeps (built on first use).
    What it returns is shared by every request of the process: read, never changed (named_on copies)."""

    def __init__(self, current: str | None):
        self.current = current

    def _part(self, name: str):
        return versions.remembered("reference", (name,), _PARTS[name], current=self.current)

    def has(self, *names: str) -> bool:
        """Whether this process has already built these parts (then reading them costs no query)."""
        return all(versions.peek("reference", (name,), current=self.current) is not None for name in names)

    @cached_property
    def department(self) -> dict:
        return self._part("departments")

    @cached_property
    def document(self) -> dict:
        return self._part("documents")

    @cached_property
    def _units(self) -> tuple:
        return self._part("units")

    @property
    def district(self) -> dict:
        return self._units[0]

    @property
    def ward(self) -> dict:
        return self._units[1]

    @property
    def renames(self) -> dict:
        return self._units[2]

    def named_on(self, kind: str, unit, day: date | None):
        """The unit as a page of `day` names it (wards.selectors.with_names_on): a copy carrying `name_then`, the
        full name it had that day, when it was renamed after; else the unit itself."""
        if day is not None and kind != "department":
            for effective_on, old_name in self.renames.get((kind, unit.pk), ()):
                if effective_on > day:
                    named = copy.copy(unit)
                    named.name_then = old_name
                    return named
        return unit

    def units_by_key(self, keys, names_on: date | None = None) -> dict:
        """{(kind, id): unit} as org.units.units_by_key gives them, without a query."""
        return {(kind, pk): self.named_on(kind, getattr(self, kind)[pk], names_on) for kind, pk in keys}

    def choices(self, day: date) -> dict:
        """What the filter forms' selects list, in the order Django's own fields list it: {"document": [(id,
        name)], "department": [(code, name)] (by name), "district" and "ward": [(code, id, name)] of the units
        that existed on `day` (by code)}. Each list built once per (token, day, language)."""
        return _Choices(self, day)


class _Choices:
    """reference.choices(day)[name]: each list built (and kept) only when asked for."""

    def __init__(self, reference: Reference, day: date):
        self.reference, self.day = reference, day

    def __getitem__(self, name: str) -> list:
        return versions.remembered(
            "reference", ("choices", name, self.day, get_language()), lambda: self._build(name),
            current=self.reference.current,
        )  # fmt: skip

    def _build(self, name: str) -> list:
        ref = self.reference
        if name == "document":
            return [(str(pk), str(d)) for pk, d in ref.document.items()]
        if name == "department":
            return [(d.code, str(d)) for d in ref.department.values()]
        units = getattr(ref, name).values()
        return sorted(
            ((u.code, u.pk, str(u)) for u in units if u.exists_on(self.day)), key=lambda row: row[0]
        )


def reference_objects(*, current: str | None = "") -> Reference:
    """The reference data of the current token (read now unless the caller passes it: versions.remembered)."""
    return Reference(versions.token("reference") if current == "" else current)


def attach_reference(assignments: list, kept: Reference) -> None:
    """Each assignment's unit (department, district or ward, the ward with its district) and its task's document
    (when the task was joined), from `kept`. A unit not found there (written after the token was read) is left for
    Django to load."""
    if not assignments:
        return
    meta = type(assignments[0])._meta
    fields = [(meta.get_field(kind), getattr(kept, kind)) for kind in ("department", "district", "ward")]
    document_field = meta.get_field("task").related_model._meta.get_field("document")
    for assignment in assignments:
        for unit_field, by_id in fields:
            unit_id = getattr(assignment, unit_field.attname)
            if unit_id is not None and unit_id in by_id:
                unit_field.set_cached_value(assignment, by_id[unit_id])
        task = assignment._state.fields_cache.get("task")
        if task is not None and task.document_id in kept.document:
            document_field.set_cached_value(task, kept.document[task.document_id])
