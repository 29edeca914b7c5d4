from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    LAW = "luat", _("Luật")
    RESOLUTION = "nghi_quyet", _("Nghị quyết")
    DECREE = "nghi_dinh", _("Nghị định")
    PLAN = "ke_hoach", _("Kế hoạch")
    DECISION = "quyet_dinh", _("Quyết định")
    CIRCULAR = "thong_tu", _("Thông tư")
    DIRECTIVE = "chi_thi", _("Chỉ thị")
    OFFICIAL_LETTER = "cong_van", _("Công văn")


class LegalDocument(models.Model):
    """A legal document of the pilot's chain: a resolution, the decree that carries it out, the city's plan…"""

    number = models.CharField(
        _("số, ký hiệu"), max_length=64, unique=True, help_text=_("Ví dụ: 97/2019/QH14")
    )
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=DocumentKind.choices)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(
        _("ngày ban hành"), null=True, blank=True, help_text=_("Để trống khi nguồn không nêu.")
    )
    in_force_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    summary = models.TextField(_("tóm tắt"), blank=True)
    implements = models.ForeignKey(
        "self",
        verbose_name=_("thực hiện văn bản"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementations",
        help_text=_("Văn bản cấp trên mà văn bản này triển khai thực hiện."),
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("được thay thế bởi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        help_text=_("Văn bản chấm dứt hoặc thay thế văn bản này, ví dụ luật thay cho nghị quyết thí điểm."),
    )

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = [models.F("issued_on").asc(nulls_last=True), "number"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(implements=models.F("pk")), name="document_does_not_implement_itself"
            ),
            models.CheckConstraint(
                condition=~models.Q(superseded_by=models.F("pk")), name="document_does_not_supersede_itself"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def ancestors(self):
        """The chain upwards, nearest first: KH 100 → [NĐ 32, NQ 97]. One query per level (the chain is short)."""
        chain, seen, doc = [], {self.pk}, self.implements
        while doc is not None and doc.pk not in seen:
            chain.append(doc)
            seen.add(doc.pk)
            doc = doc.implements
        return chain
