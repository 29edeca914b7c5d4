from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.admin import AppendOnlyAdmin
from cqdt_portal.lib.admin_import import ImportAdminMixin

from .forms import TaskImportForm
from .imports import TaskFileError
from .models import Task, TaskImport
from .services import TaskImportRefused, tasks_import_apply, tasks_import_stage


@admin.register(Task)
class TaskAdmin(ImportAdminMixin, admin.ModelAdmin):
    list_display = ["title", "document", "lead_department", "scope", "due_on", "deadline_is_illustrative"]
    list_filter = ["document", "scope", "lead_department", "deadline_is_illustrative", "is_illustrative"]
    list_select_related = ["document", "lead_department"]
    search_fields = ["title", "description", "section"]
    autocomplete_fields = ["document", "lead_department", "coordinating_departments"]
    date_hierarchy = "due_on"

    def import_view(self, request):
        """Step 1: upload a plan's task list; it is read and kept, unapplied, for its preview."""
        self._check_import_permission(request)
        posted = request.method == "POST"
        form = TaskImportForm(request.POST if posted else None, request.FILES if posted else None)
        if posted and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                task_import, _plan = tasks_import_stage(
                    file_name=upload.name, content=upload.read(), by=request.user
                )
            except TaskFileError as e:
                form.add_error("file", str(e))
            else:
                return redirect("admin:tasks_task_import_preview", task_import.pk)
        return TemplateResponse(
            request,
            "admin/tasks/task_import.html",
            self._context(request, _("Nhập nhiệm vụ từ tệp"), form=form),
        )

    def import_preview_view(self, request, pk):
        """Step 2: what the import will do; confirming applies it in one transaction."""
        self._check_import_permission(request)
        task_import = get_object_or_404(
            TaskImport, pk=pk, uploaded_by=request.user, state=TaskImport.State.PREVIEWED
        )
        if request.method == "POST":
            try:
                plan = tasks_import_apply(task_import=task_import)
            except TaskImportRefused as e:
                messages.error(request, str(e))
            else:
                counts = plan.counts()
                messages.success(
                    request,
                    _(
                        "Đã nhập {file}: thêm {created} nhiệm vụ, cập nhật {updated}, giao thêm {assignments} lượt."
                    ).format(
                        file=task_import.file_name,
                        created=counts["created"],
                        updated=counts["updated"],
                        assignments=counts["new_assignments"],
                    ),
                )
                return redirect("admin:tasks_task_changelist")
        summary = task_import.summary
        return TemplateResponse(
            request,
            "admin/tasks/task_import_preview.html",
            self._context(
                request,
                _("Xem trước: {file}").format(file=task_import.file_name),
                task_import=task_import,
                summary=summary,
                counts=summary["counts"],
                upload_url=reverse("admin:tasks_task_import"),
            ),
        )


@admin.register(TaskImport)
class TaskImportAdmin(AppendOnlyAdmin):
    """The log of task-list imports."""

    list_display = ["file_name", "uploaded_by", "uploaded_at", "state", "applied_at"]
    list_filter = ["state"]
    search_fields = ["file_name", "sha256"]
    fields = ["file_name", "sha256", "state", "uploaded_by", "uploaded_at", "applied_at", "summary"]
    readonly_fields = fields
