from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.admin_import import ImportUploadForm

from .models import Ward


class WardImportForm(ImportUploadForm):
    file = forms.FileField(
        label=_("Tệp danh mục"),
        help_text=_(
            "Tệp xuất từ trang của Tổng cục Thống kê (.xls, .xlsx, .csv) hoặc bảng CSV của cổng "
            "(district_code, district_name, district_type, ward_code, ward_name, ward_type)."
        ),
    )
    province_code = forms.RegexField(
        label=_("Mã tỉnh, thành phố"),
        regex=r"^[0-9]{2}$",
        initial="01",
        max_length=2,
        error_messages={"invalid": _("Mã tỉnh gồm 2 chữ số, ví dụ 01 (Hà Nội).")},
    )
    effective_on = forms.DateField(
        label=_("Ngày hiệu lực"),
        initial=timezone.localdate,
        help_text=_(
            "Ngày đầu tiên của danh mục mới; đơn vị không còn trong danh mục kết thúc vào ngày hôm trước."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    mapping = forms.FileField(
        label=_("Bảng chuyển đổi đơn vị cũ → mới (không bắt buộc)"),
        required=False,
        help_text=_(
            "Theo mẫu của Nghị quyết 1656/NQ-UBTVQH15: new_code, new_name, new_kind, relation, old_kind, "
            "old_name, old_qualifier, provision_no, old_code. Việc còn dở của đơn vị cũ được chuyển giao cho "
            "các đơn vị mới nhận địa bàn của nó."
        ),
    )
    legal_basis = forms.CharField(
        label=_("Văn bản quy định thay đổi"),
        required=False,
        max_length=200,
        help_text=_("Số, ký hiệu văn bản, ví dụ 1656/NQ-UBTVQH15."),
    )
    correction = forms.BooleanField(
        label=_("Đính chính lịch sử"),
        required=False,
        help_text=_(
            "Chỉ chọn khi danh mục có hiệu lực trước lần thay đổi địa bàn gần nhất đã ghi và bạn cố ý sửa lịch "
            "sử; bước xem trước liệt kê từng đơn vị bị thay đổi."
        ),
    )

    def clean_mapping(self):
        mapping = self.cleaned_data.get("mapping")
        if mapping and mapping.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Bảng chuyển đổi quá lớn."))
        return mapping


class SuccessorsForm(forms.Form):
    """For each ward the import retires, the wards that take over its area (optional)."""

    def __init__(self, *args, retired: list[dict], created: list[dict], effective_on, **kwargs):
        super().__init__(*args, **kwargs)
        retiring = {item["code"] for item in retired}
        # A ward of a district is succeeded within its district; a unit directly under the city ("") by any.
        districts = {
            item["district_code"] for item in retired if item["row"] is None and not item["successors"]
        }
        choices: dict[str, list] = {code: [] for code in districts}
        # One query for every retired ward's choices, whatever their number.
        staying = Ward.objects.existing_on(effective_on).exclude(code__in=retiring).select_related("district")
        if "" not in districts:
            staying = staying.filter(district__code__in=districts)
        for w in staying:
            for key in {w.district.code if w.district else "", ""} & set(choices):
                choices[key].append((w.code, f"{w.code} · {w.full_name}"))
        for c in created:
            for key in {c["district_code"], ""} & set(choices):
                choices[key].append((c["code"], f"{c['code']} · {c['name']} ({_('mới')})"))
        self.items = []
        for item in retired:
            if item["row"] is not None or item["successors"]:
                # The file's successor_codes column or the mapping already says where this unit went.
                self.items.append((item, None))
                continue
            name = f"successors_{item['code']}"
            self.fields[name] = forms.MultipleChoiceField(
                label=_("Nhập vào phường"),
                choices=choices[item["district_code"]],
                required=False,
                initial=item["successors"],
            )
            self.items.append((item, self[name]))

    def successors(self) -> dict[str, list[str]]:
        return {name.removeprefix("successors_"): codes for name, codes in self.cleaned_data.items() if codes}
