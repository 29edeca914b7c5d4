"""The city's units: its departments, and the one notion of "a unit" that tasks, users and policies belong to.

A unit is a department (sở, ban, ngành: this app), a district-level unit or a commune-level unit (wards/).
Whatever belongs to one unit inherits `UnitMember`; the three-way choice between them is written only in
org/units.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.lifespan import Lifespan
from wards.models import District, Ward


class UnitKind(models.TextChoices):
    # The values are also the field names of UnitMember (org/units.py relies on it).
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("Quận, thị xã")
    WARD = "ward", _("Phường")


class DepartmentKind(models.TextChoices):
    CITY = "ubnd_tp", _("UBND thành phố")
    OFFICE = "van_phong", _("Văn phòng")
    DEPARTMENT = "so", _("Sở")
    BOARD = "ban", _("Ban")
    AGENCY = "nganh", _("Ngành, cơ quan khác")


class Department(Lifespan):
    """A city-level unit that leads or carries out tasks: UBND thành phố, its office, a sở, a ban…"""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200, unique=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=40, blank=True)
    kind = models.CharField(_("loại"), max_length=12, choices=DepartmentKind.choices)

    class Meta(Lifespan.Meta):
        # The table keeps the name it had when departments lived in the tasks app (no data was moved).
        db_table = "tasks_department"
        verbose_name = _("sở, ban, ngành")
        verbose_name_plural = _("sở, ban, ngành")
        ordering = ["name"]

    def __str__(self):
        return self.name


class UnitMember(models.Model):
    """Belongs to a unit: a department, a district-level unit or a ward, one field set at most.

    Whether exactly one or at most one must be set is each model's own constraint (org.units.exactly_one /
    at_most_one). A unit reaches its members backwards by the member model's name in the plural.
    """

    department = models.ForeignKey(
        Department,
        verbose_name=_("sở, ban, ngành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("quận, thị xã"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    ward = models.ForeignKey(
        Ward,
        verbose_name=_("phường"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )

    class Meta:
        abstract = True

    @property
    def unit(self):
        """The department, district or ward this belongs to (None for a user of no unit)."""
        return self.department or self.district or self.ward

    @property
    def unit_kind(self) -> UnitKind | None:
        for kind in UnitKind:
            if getattr(self, f"{kind.value}_id"):
                return kind
        return None

    @property
    def unit_key(self) -> tuple[str, int] | None:
        """(kind, id): the unit's identity without loading it, e.g. ("ward", 12)."""
        kind = self.unit_kind
        return (kind.value, getattr(self, f"{kind.value}_id")) if kind else None
