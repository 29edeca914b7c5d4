from django import forms
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
        help_text=_("Ngày các phường không còn trong danh mục thôi tồn tại."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


class SuccessorsForm(forms.Form):
    """For each ward the import retires, the wards that take over its area (optional)."""

    def __init__(self, *args, retired: list[dict], created: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        retiring = {item["code"] for item in retired}
        districts = {item["district_code"] for item in retired if item["row"] is None}
        choices: dict[str, list] = {code: [] for code in districts}
        # One query for every retired ward's choices, whatever their number.
        for w in (
            Ward.objects.active()
            .filter(district__code__in=districts)
            .exclude(code__in=retiring)
            .select_related("district")
        ):
            choices[w.district.code].append((w.code, f"{w.code} · {w.full_name}"))
        for c in created:
            if c["district_code"] in choices:
                choices[c["district_code"]].append((c["code"], f"{c['code']} · {c['name']} ({_('mới')})"))
        self.items = []
        for item in retired:
            if item["row"] is not None:
                # The file's successor_codes column already says where this ward went.
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
