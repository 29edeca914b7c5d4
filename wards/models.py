from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.importlog import ImportLog


class DistrictKind(models.TextChoices):
    URBAN_DISTRICT = "quan", _("Quận")
    TOWN = "thi_xa", _("Thị xã")
    RURAL_DISTRICT = "huyen", _("Huyện")
    CITY = "thanh_pho", _("Thành phố")


class WardKind(models.TextChoices):
    WARD = "phuong", _("Phường")
    COMMUNE = "xa", _("Xã")
    TOWNLET = "thi_tran", _("Thị trấn")


class DistrictQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_on__isnull=True)


class District(models.Model):
    """A district-level unit (quận, thị xã…), with the statistics office's (GSO) code."""

    code = models.CharField(
        _("mã"), max_length=3, unique=True, help_text=_("Mã đơn vị hành chính (GSO), ví dụ 001")
    )
    name = models.CharField(_("tên"), max_length=100, help_text=_("Không kèm tiền tố, ví dụ: Ba Đình"))
    kind = models.CharField(_("loại"), max_length=12, choices=DistrictKind.choices)
    retired_on = models.DateField(_("ngày giải thể/sáp nhập"), null=True, blank=True)

    objects = DistrictQuerySet.as_manager()

    class Meta:
        verbose_name = _("quận, thị xã")
        verbose_name_plural = _("quận, thị xã")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{3}$"), name="district_code_three_digits"
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.get_kind_display()} {self.name}"


class WardQuerySet(models.QuerySet):
    def active(self, on=None):
        """Wards that exist (on a given date, when one is given)."""
        if on is None:
            return self.filter(retired_on__isnull=True)
        return self.filter(models.Q(retired_on__isnull=True) | models.Q(retired_on__gt=on))


class Ward(models.Model):
    """A commune-level unit. A merged ward is retired with a date and its successors, never deleted."""

    code = models.CharField(
        _("mã"), max_length=5, unique=True, help_text=_("Mã đơn vị hành chính (GSO), ví dụ 00001")
    )
    name = models.CharField(_("tên"), max_length=100, help_text=_("Không kèm tiền tố, ví dụ: Phúc Xá"))
    kind = models.CharField(_("loại"), max_length=12, choices=WardKind.choices, default=WardKind.WARD)
    district = models.ForeignKey(
        District, verbose_name=_("quận, thị xã"), on_delete=models.PROTECT, related_name="wards"
    )
    retired_on = models.DateField(
        _("ngày thôi tồn tại"), null=True, blank=True, help_text=_("Để trống khi phường còn tồn tại.")
    )
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("nhập vào phường"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        help_text=_("Các phường nhận địa bàn của phường đã thôi tồn tại."),
    )
    retirement_note = models.TextField(_("ghi chú sáp nhập"), blank=True)

    objects = WardQuerySet.as_manager()

    class Meta:
        verbose_name = _("phường")
        verbose_name_plural = _("phường")
        ordering = ["district__code", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{5}$"), name="ward_code_five_digits"
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.get_kind_display()} {self.name}"

    @property
    def is_retired(self):
        return self.retired_on is not None


class WardImport(ImportLog):
    """One upload of an official ward list (see ImportLog), for one province, effective on a date."""

    province_code = models.CharField(_("mã tỉnh, thành phố"), max_length=2)
    effective_on = models.DateField(_("ngày hiệu lực"))

    class Meta(ImportLog.Meta):
        verbose_name = _("lần nhập danh mục phường")
        verbose_name_plural = _("nhật ký nhập danh mục phường")


class ChangeKind(models.TextChoices):
    CREATED = "created", _("Thêm mới")
    RENAMED = "renamed", _("Đổi tên")
    MOVED = "moved", _("Chuyển quận")
    RETIRED = "retired", _("Thôi tồn tại")
    RESTORED = "restored", _("Khôi phục")


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
        District, verbose_name=_("quận, thị xã"), on_delete=models.PROTECT, related_name="changes"
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
