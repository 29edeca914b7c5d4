"""A unit is a department, a district-level unit or a ward. This module is the one place that knows the three.

Everything else asks it: which model a kind is, how a URL names a kind, the SQL condition for "belongs to
this unit", the unit behind a (kind, id) key, and the constraint that a row belongs to one unit.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils import timezone

from wards.models import District, Ward
from wards.selectors import with_names_on

from .models import Department, UnitKind

MODELS = {UnitKind.DEPARTMENT: Department, UnitKind.DISTRICT: District, UnitKind.WARD: Ward}

# How page addresses name the kinds (/don-vi/phuong/00001/): Vietnamese words, stable for shared links.
SLUGS = {UnitKind.DEPARTMENT: "so", UnitKind.DISTRICT: "quan", UnitKind.WARD: "phuong"}
KINDS_BY_SLUG = {slug: kind for kind, slug in SLUGS.items()}


def kind_of(unit) -> UnitKind:
    """The kind of a Department, District or Ward instance."""
    for kind, model in MODELS.items():
        if isinstance(unit, model):
            return kind
    raise TypeError(f"not a unit: {unit!r}")


def slug_of(unit) -> str:
    return SLUGS[kind_of(unit)]


def exactly_one() -> Q:
    """The CheckConstraint condition: the row belongs to exactly one unit."""
    return (
        Q(department__isnull=False, district__isnull=True, ward__isnull=True)
        | Q(department__isnull=True, district__isnull=False, ward__isnull=True)
        | Q(department__isnull=True, district__isnull=True, ward__isnull=False)
    )


def at_most_one() -> Q:
    """The CheckConstraint condition: the row belongs to one unit or to none."""
    return (
        Q(department__isnull=True, district__isnull=True)
        | Q(department__isnull=True, ward__isnull=True)
        | Q(district__isnull=True, ward__isnull=True)
    )


def member_of(unit, prefix: str = "") -> Q:
    """Rows (of a UnitMember model, reached through `prefix`) that belong to `unit` itself."""
    return Q(**{f"{prefix}{kind_of(unit).value}": unit})


def members_of_keys(keys: Iterable[tuple[str, int]], prefix: str = "") -> Q:
    """Rows that belong to any of the units named by (kind, id) keys; nothing when there are none."""
    condition = Q(pk__in=[])
    for kind in UnitKind:
        ids = {pk for k, pk in keys if k == kind.value and pk}
        if ids:
            condition |= Q(**{f"{prefix}{kind.value}_id__in": ids})
    return condition


def same_unit(a, b) -> bool:
    """Do two UnitMember rows (a user and an assignment, say) belong to the same unit?"""
    key = b.unit_key
    return key is not None and a.unit_key == key


def key_from_ids(*, department: int | None, district: int | None, ward: int | None) -> tuple[str, int]:
    """The (kind, id) key of a row read as plain values (department_id, district_id, ward_id)."""
    if department:
        return (UnitKind.DEPARTMENT.value, department)
    if district:
        return (UnitKind.DISTRICT.value, district)
    return (UnitKind.WARD.value, ward)


def units_by_key(
    keys: Iterable[tuple[str, int]], names_on: date | None = None
) -> dict[tuple[str, int], object]:
    """{(kind, id): unit} for the keys given, one query per kind (wards with their district). With `names_on`,
    districts and wards carry the name they had that day (wards.selectors.with_names_on)."""
    keys = set(keys)
    found = {}
    for kind, model in MODELS.items():
        ids = [pk for k, pk in keys if k == kind.value]
        queryset = model.objects.select_related("district") if model is Ward else model.objects.all()
        if model is not Department:
            queryset = with_names_on(queryset, names_on)
        # One query per kind, even for a kind not named: a page's query count must not depend on its data.
        found |= {(kind.value, unit.pk): unit for unit in queryset.filter(pk__in=ids or [0])}
    return found


def unit_with_code(model, code: str, day: date | None = None):
    """The unit of `model` that had `code` on `day` (default today): a code names a unit only within its
    lifespan. On a day no unit had it, the latest one before that day, else the first after it; None if no
    unit ever had it."""
    day = day or timezone.localdate()
    queryset = model.objects.filter(code=code)
    if model is Ward:
        queryset = queryset.select_related("district")
    found = queryset.existing_on(day).first()
    if found is None:
        candidates = sorted(queryset, key=lambda u: u.valid_from or date.min)
        before = [u for u in candidates if u.valid_to is not None and u.valid_to < day]
        found = before[-1] if before else (candidates[0] if candidates else None)
    return found


def unit_by_slug(slug: str, code: str, day: date | None = None):
    """The unit a page address names (so/quan/phuong, a code and, where codes were reused, a day), or None."""
    kind = KINDS_BY_SLUG.get(slug)
    return unit_with_code(MODELS[kind], code, day) if kind is not None else None


def sharing_unit_with(ref, prefix: str = "") -> Q:
    """Rows (reached through `prefix`) of the same unit as the row `ref` names: `ref` makes the expression of
    the other row's unit field, e.g. `lambda f: F(f"assignment__{f}")` or `OuterRef`. SQL's NULL = NULL being
    false, only the one unit the other row belongs to can match."""
    condition = Q(pk__in=[])
    for kind in UnitKind:
        condition |= Q(**{f"{prefix}{kind.value}": ref(kind.value)})
    return condition
