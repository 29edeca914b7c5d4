from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import TaskImportForm
from .imports import TaskFileError
from .models import Assignment, Department, ProgressUpdate, Task, TaskImport
from .services import TaskImportRefused, tasks_import_apply, tasks_import_stage


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "retired_on"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "document", "lead_department", "scope", "due_on", "deadline_is_illustrative"]
    list_filter = ["document", "scope", "lead_department", "deadline_is_illustrative", "is_illustrative"]
    list_select_related = ["document", "lead_department"]
    search_fields = ["title", "description", "section"]
    autocomplete_fields = ["document", "lead_department", "coordinating_departments"]
    date_hierarchy = "due_on"

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(require_http_methods(["GET", "POST"])(view))

        return [
            path("nhap-tu-tep/", wrap(self.import_view), name="tasks_task_import"),
            path("nhap-tu-tep/<int:pk>/", wrap(self.import_preview_view), name="tasks_task_import_preview"),
            *super().get_urls(),
        ]

    def _check_import_permission(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}

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


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    can_delete = False
    fields = ["reported_at", "author", "percent", "completed_on", "note", "outgoing_number", "outgoing_date"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["task", "department", "district", "ward", "due_on", "percent", "completed_on"]
    list_filter = ["task__document", "department", "district", "due_on"]
    list_select_related = ["task", "department", "district", "ward"]
    search_fields = ["task__title", "ward__name", "district__name", "department__name"]
    autocomplete_fields = ["task", "department", "district", "ward"]
    readonly_fields = ["percent", "completed_on", "last_reported_at", "original_due_on"]
    inlines = [ProgressUpdateInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Reports are append-only: the admin shows them, never edits or deletes them."""

    list_display = ["assignment", "author", "reported_at", "percent", "completed_on"]
    list_filter = ["reported_at"]
    list_select_related = ["assignment__task", "author"]
    search_fields = ["note", "assignment__task__title", "author__username"]
    date_hierarchy = "reported_at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TaskImport)
class TaskImportAdmin(admin.ModelAdmin):
    """The log of task-list imports: read-only."""

    list_display = ["file_name", "uploaded_by", "uploaded_at", "state", "applied_at"]
    list_filter = ["state"]
    fields = ["file_name", "sha256", "state", "uploaded_by", "uploaded_at", "applied_at", "summary"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
