"""The plan in the admin: tasks and their import, the task-import log, and the ward list's admin with its import
(which gives the units it creates or restores the tasks given to every unit)."""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqdt_portal.lib.admin import AppendOnlyAdmin
from cqdt_portal.lib.admin_import import ImportAdminMixin
from wards.admin import WardAdmin
from wards.forms import SuccessorsForm, WardImportForm
from wards.models import Ward, WardImport

from .forms import TaskImportForm
from .models import RankingRule, Task, TaskImport
from .services import tasks_import_apply, tasks_import_stage, ward_list_apply, ward_list_stage


@admin.register(Task)
class TaskAdmin(ImportAdminMixin, admin.ModelAdmin):
    list_display = ["title", "document", "lead_department", "scope", "due_on", "deadline_is_illustrative"]
    list_filter = ["document", "scope", "lead_department", "deadline_is_illustrative", "is_illustrative"]
    list_select_related = ["document", "lead_department"]
    search_fields = ["title", "description", "section"]
    autocomplete_fields = ["document", "lead_department", "coordinating_departments"]
    date_hierarchy = "due_on"

    import_title = gettext_lazy("Nhập nhiệm vụ từ tệp")
    import_log_model = TaskImport
    import_form_class = TaskImportForm
    import_intro_template = "admin/tasks/_task_import_intro.html"
    import_preview_template = "admin/tasks/task_import_preview.html"

    def import_stage(self, request, form):
        upload = form.cleaned_data["file"]
        task_import, _plan = tasks_import_stage(file_name=upload.name, content=upload.read(), by=request.user)
        return task_import

    def import_apply(self, request, log, form):
        return tasks_import_apply(task_import=log)

    def import_success_message(self, log, plan):
        counts = plan.counts()
        return _(
            "Đã nhập {file}: thêm {created} nhiệm vụ, cập nhật {updated}, giao thêm {assignments} lượt."
        ).format(
            file=log.file_name,
            created=counts["created"],
            updated=counts["updated"],
            assignments=counts["new_assignments"],
        )


@admin.register(TaskImport)
class TaskImportAdmin(AppendOnlyAdmin):
    """The log of task-list imports."""

    list_display = ["file_name", "uploaded_by", "uploaded_at", "state", "applied_at"]
    list_filter = ["state"]
    search_fields = ["file_name", "sha256"]
    fields = ["file_name", "sha256", "state", "uploaded_by", "uploaded_at", "applied_at", "summary"]
    readonly_fields = fields


@admin.register(Ward)
class WardListAdmin(ImportAdminMixin, WardAdmin):
    """The wards' admin with the import of the statistics office's list (upload, preview, confirm)."""

    import_slug = "nhap-danh-muc"
    import_title = gettext_lazy("Nhập danh mục phường")
    import_log_model = WardImport
    import_form_class = WardImportForm
    import_intro_template = "admin/wards/_ward_import_intro.html"
    import_preview_template = "admin/wards/ward_import_preview.html"

    def import_stage(self, request, form):
        upload, mapping = form.cleaned_data["file"], form.cleaned_data.get("mapping")
        ward_import, _plan = ward_list_stage(
            file_name=upload.name,
            content=upload.read(),
            province_code=form.cleaned_data["province_code"],
            effective_on=form.cleaned_data["effective_on"],
            mapping_file_name=mapping.name if mapping else "",
            mapping_content=mapping.read() if mapping else None,
            legal_basis=form.cleaned_data["legal_basis"],
            correction=form.cleaned_data["correction"],
            by=request.user,
        )
        return ward_import

    def import_confirm_form(self, request, log):
        changes = log.summary["changes"]
        # An empty POST is a confirmation too (no successor chosen), so bind on the method, not on the data.
        return SuccessorsForm(
            request.POST if request.method == "POST" else None,
            retired=changes["retired"],
            created=changes["created"],
            effective_on=log.effective_on,
        )

    def import_apply(self, request, log, form):
        return ward_list_apply(ward_import=log, successors=form.successors())

    def import_success_message(self, log, plan):
        counts = plan.counts()
        return _(
            "Đã nhập danh mục {file}: thêm {created}, đổi tên {renamed}, chuyển quận {moved}, "
            "thôi tồn tại {retired}, giữ nguyên {unchanged}; giao thêm {assignments} nhiệm vụ; chuyển giao "
            "{handed_over} việc còn dở, {awaiting} việc chờ quyết định."
        ).format(
            file=log.file_name,
            created=counts["created"],
            renamed=counts["renamed"],
            moved=counts["moved"],
            retired=counts["retired"],
            unchanged=counts["unchanged"],
            assignments=counts["new_assignments"],
            handed_over=counts.get("handed_over", 0),
            awaiting=counts.get("awaiting_decision", 0),
        )


@admin.register(RankingRule)
class RankingRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "min_due"]

    def has_add_permission(self, request):
        return not RankingRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
