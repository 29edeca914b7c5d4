from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.importlog import ImportLog
from cqdt_portal.lib.lifespan import Lifespan


class DistrictKind(models.TextChoices):
    URBAN_DISTRICT = "quan", _("Quận")
    TOWN = "thi_xa", _("Thị xã")
    RURAL_DISTRICT = "huyen", _("Huyện")
    CITY = "thanh_pho", _("Thành phố")


class WardKind(models.TextChoices):
    WARD = "phuong", _("Phường")
    COMMUNE = "xa", _("Xã")
    TOWNLET = "thi_tran", _("Thị trấn")


# A kind's label per (kind, language), translated once: every list page names ~200 units in its filter form and
# its rows, and get_kind_display() translates the lazy label again each time (bench/: a third of a list page).
_KIND_LABELS: dict = {}


def kind_label(choices: type[models.TextChoices], kind: str) -> str:
    key = (choices, kind, get_language())
    if key not in _KIND_LABELS:
        _KIND_LABELS[key] = str(dict(choices.choices).get(kind, kind))
    return _KIND_LABELS[key]


class District(Lifespan):
    """A district-level unit (quận, thị xã…), with the statistics office's (GSO) code. Hà Nội's ended on
    30/06/2025, when the district level was abolished; a code names a unit only within its lifespan."""

    code = models.CharField(_("mã"), max_length=3, help_text=_("Mã đơn vị hành chính (GSO), ví dụ 001"))
    name = models.CharField(_("tên"), max_length=100, help_text=_("Không kèm tiền tố, ví dụ: Ba Đình"))
    kind = models.CharField(_("loại"), max_length=12, choices=DistrictKind.choices)

    class Meta(Lifespan.Meta):
        verbose_name = _("quận, thị xã")
        verbose_name_plural = _("quận, thị xã")
        ordering = ["code", "valid_from"]
        constraints = [
            *Lifespan.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{3}$"), name="district_code_three_digits"
            ),
            # Two units may share a code one after the other, never at once (services check past overlaps).
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(valid_to__isnull=True),
                name="district_code_unique_while_open",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{kind_label(DistrictKind, self.kind)} {self.name}"


class Ward(Lifespan):
    """A commune-level unit (phường, xã, thị trấn). Until 30/06/2025 it lay in a district; from 01/07/2025 it is
    directly under the city. An ended unit is kept with its dates and its successions, never deleted; a code
    names a unit only within its lifespan (the 2025 list gave old codes to new units)."""

    code = models.CharField(_("mã"), max_length=5, help_text=_("Mã đơn vị hành chính (GSO), ví dụ 00001"))
    name = models.CharField(_("tên"), max_length=100, help_text=_("Không kèm tiền tố, ví dụ: Phúc Xá"))
    kind = models.CharField(_("loại"), max_length=12, choices=WardKind.choices, default=WardKind.WARD)
    district = models.ForeignKey(
        District,
        verbose_name=_("quận, thị xã"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wards",
        help_text=_("Để trống với đơn vị trực thuộc thành phố (từ 01/07/2025)."),
    )
    retirement_note = models.TextField(_("ghi chú sắp xếp"), blank=True)

    class Meta(Lifespan.Meta):
        verbose_name = _("phường, xã")
        verbose_name_plural = _("phường, xã")
        ordering = ["district__code", "code", "valid_from"]
        constraints = [
            *Lifespan.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{5}$"), name="ward_code_five_digits"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(valid_to__isnull=True), name="ward_code_unique_while_open"
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{kind_label(WardKind, self.kind)} {self.name}"


class Relation(models.TextChoices):
    """How much of an old unit went into a new one, in the words of the act (Nghị quyết 1656/NQ-UBTVQH15)."""

    WHOLE = "toan_bo", _("toàn bộ")
    PART = "mot_phan", _("một phần")
    REMAINDER = "phan_con_lai", _("phần còn lại")
    PART_AREA = "mot_phan_dt", _("một phần diện tích")
    PART_AREA_ALL_PEOPLE = "mot_phan_dt_toanbo_ds", _("một phần diện tích, toàn bộ dân số")
    UNSPECIFIED = "khong_ro", _("không rõ phần nào")


class Succession(models.Model):
    """An old commune-level unit went, wholly or in part, into a new one from a date, by a legal act.

    The old unit may be one the portal never held (a xã of a huyện before 2025): it is then named in words only.
    """

    predecessor = models.ForeignKey(
        Ward,
        verbose_name=_("đơn vị cũ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successions",
    )
    predecessor_code = models.CharField(_("mã đơn vị cũ"), max_length=5, blank=True)
    predecessor_name = models.CharField(_("tên đơn vị cũ"), max_length=200)
    successor = models.ForeignKey(
        Ward, verbose_name=_("đơn vị mới"), on_delete=models.PROTECT, related_name="predecessions"
    )
    relation = models.CharField(_("phần chuyển sang"), max_length=24, choices=Relation.choices)
    effective_on = models.DateField(_("từ ngày"))
    legal_basis = models.CharField(_("văn bản"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kế thừa địa bàn")
        verbose_name_plural = _("kế thừa địa bàn")
        ordering = ["effective_on", "successor__code", "predecessor_code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                condition=models.Q(predecessor__isnull=False),
                name="one_succession_per_pair",
            ),
            models.UniqueConstraint(
                fields=["predecessor_name", "successor"],
                condition=models.Q(predecessor__isnull=True),
                name="one_named_succession_per_pair",
            ),
        ]

    def __str__(self):
        return f"{self.predecessor_name} → {self.successor} ({self.get_relation_display()})"


class WardImport(ImportLog):
    """One upload of an official ward list (see ImportLog), for one province, effective on a date."""

    province_code = models.CharField(_("mã tỉnh, thành phố"), max_length=2)
    effective_on = models.DateField(_("ngày hiệu lực"))
    legal_basis = models.CharField(
        _("văn bản"),
        max_length=200,
        blank=True,
        help_text=_("Văn bản quy định thay đổi, ví dụ 1656/NQ-UBTVQH15."),
    )
    correction = models.BooleanField(
        _("đính chính lịch sử"),
        default=False,
        help_text=_("Danh mục có hiệu lực trước lần thay đổi địa bàn gần nhất đã ghi, nhập có chủ ý."),
    )
    mapping_file_name = models.CharField(_("tệp bảng chuyển đổi"), max_length=255, blank=True)
    mapping_content = models.BinaryField(_("nội dung bảng chuyển đổi"), null=True, blank=True, editable=False)

    class Meta(ImportLog.Meta):
        verbose_name = _("lần nhập danh mục phường")
        verbose_name_plural = _("nhật ký nhập danh mục phường")


class ChangeKind(models.TextChoices):
    CREATED = "created", _("Thêm mới")
    RENAMED = "renamed", _("Đổi tên")
    MOVED = "moved", _("Chuyển quận")
    RETIRED = "retired", _("Thôi tồn tại")
    RESTORED = "restored", _("Khôi phục")  # recorded by imports before units had lifespans; no longer made


class WardChange(models.Model):
    """One recorded change to a district or a ward. Append-only: history is never edited or deleted."""

    ward_import = models.ForeignKey(
        WardImport,
        verbose_name=_("lần nhập"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("quận, thị xã"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
    )
    ward = models.ForeignKey(
        Ward,
        verbose_name=_("phường"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changes",
        help_text=_("Để trống khi thay đổi là của quận, thị xã."),
    )
    kind = models.CharField(_("thay đổi"), max_length=12, choices=ChangeKind.choices)
    old_value = models.CharField(_("trước"), max_length=200, blank=True)
    new_value = models.CharField(_("sau"), max_length=200, blank=True)
    effective_on = models.DateField(_("ngày hiệu lực"))
    recorded_at = models.DateTimeField(_("thời điểm ghi"), default=timezone.now)

    class Meta:
        verbose_name = _("thay đổi địa bàn")
        verbose_name_plural = _("lịch sử thay đổi địa bàn")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.ward or self.district}"
