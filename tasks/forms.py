"""Forms of the plan: the upload of a plan's task list."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy


class TaskImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh sách nhiệm vụ"),
        help_text=gettext_lazy(
            "Tệp .xlsx hoặc .csv với các cột: Văn bản, Mục, Nhiệm vụ, Chủ trì, Phối hợp, Thời hạn (ngày/tháng/năm), "
            "Phạm vi (thành phố, mọi quận, mọi phường, mọi quận và phường) và, nếu có, Nội dung."
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                gettext_lazy("Tệp quá lớn: %(size)s MB, giới hạn %(limit)s MB."),
                params={
                    "size": round(file.size / 1_000_000, 1),
                    "limit": round(settings.IMPORT_MAX_BYTES / 1_000_000, 1),
                },
            )
        return file
