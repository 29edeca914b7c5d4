"""Forms of the plan: the upload of a plan's task list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.admin_import import ImportUploadForm


class TaskImportForm(ImportUploadForm):
    file = forms.FileField(
        label=_("Tệp danh sách nhiệm vụ"),
        help_text=_(
            "Tệp .xlsx hoặc .csv với các cột: Văn bản, Mục, Nhiệm vụ, Chủ trì, Phối hợp, Thời hạn (ngày/tháng/năm), "
            "Phạm vi (thành phố, mọi quận, mọi phường, mọi quận và phường) và, nếu có, Nội dung."
        ),
    )
