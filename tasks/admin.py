"""The plan in the admin: tasks and their import, the task-import log, and the ward list's admin with its import
(which gives the units it creates or restores the tasks given to every unit)."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqdt_portal.lib.admin import AppendOnlyAdmin
from cqdt_portal.lib.admin_import import ImportAdminMixin
from wards.admin import WardAdmin
from wards.forms import SuccessorsForm, WardImportForm
from wards.models import Ward, WardImport

from .forms import TaskImportForm
from .models import AwaitingHandOver, RankingRule, StatusSummary, StatusSummaryDay, Task, TaskImport
from .services import (
    assignment_hand_over,
    status_summary_refresh,
    tasks_import_apply,
    tasks_import_stage,
    ward_list_apply,
    ward_list_stage,
)


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        status_summary_refresh()  # its document or lead department may have changed: the totals follow

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


class HandOverForm(forms.ModelForm):
    """The city's decision: the units that take over an ended unit's open assignment."""

    receivers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Đơn vị nhận chuyển giao"),
        queryset=Ward.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Các phường, xã còn tồn tại từ ngày sau ngày kết thúc của việc; mỗi đơn vị nhận "
                               "một việc mới với cùng thời hạn, liên kết với việc cũ."),
    )  # fmt: skip

    class Meta:
        model = AwaitingHandOver
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        day = self.instance.ended_on + timedelta(days=1)
        self.fields["receivers"].queryset = Ward.objects.existing_on(day).order_by("code")


@admin.register(AwaitingHandOver)
class AwaitingHandOverAdmin(admin.ModelAdmin):
    """Open assignments of ended units with no successor on record, until the city names who takes them over
    (tasks.services.assignment_hand_over). Nothing here edits the assignment itself."""

    form = HandOverForm
    list_display = ["task", "unit_name", "ended_on", "due_on", "percent"]
    list_filter = ["ended_on", ("district", admin.EmptyFieldListFilter), "task__document"]
    list_select_related = ["task", "department", "district", "ward"]
    search_fields = ["task__title", "ward__name", "district__name"]
    readonly_fields = ["task", "unit_name", "given_on", "ended_on", "due_on", "percent"]
    fields = [*readonly_fields, "receivers"]

    @admin.display(description=gettext_lazy("đơn vị đã thôi tồn tại"))
    def unit_name(self, obj):
        return obj.unit

    def get_queryset(self, request):
        return super().get_queryset(request).awaiting_hand_over()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            assignment_hand_over(assignment=obj, to=list(form.cleaned_data["receivers"]), by=request.user)
        except ValidationError as e:  # decided meanwhile by someone else
            request._hand_over_refused = e.messages[0]

    def save_related(self, request, form, formsets, change):
        pass  # the service wrote the links

    def response_change(self, request, obj):
        self.message_user(
            request, _("Đã chuyển giao việc “{task}” của {unit}.").format(task=obj.task, unit=obj.unit)
        )
        return redirect(reverse("admin:tasks_awaitinghandover_changelist"))


@admin.register(RankingRule)
class RankingRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "min_due"]

    def has_add_permission(self, request):
        return not RankingRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusSummary)
class StatusSummaryAdmin(AppendOnlyAdmin):
    """Derived totals, shown to check them: the write services keep them (services.status_summary_refresh)."""

    list_display = ["day", "lead_department_id", "department_id", "district_id", "ward_id", "status", "n"]
    list_filter = ["day", "status"]


@admin.register(StatusSummaryDay)
class StatusSummaryDayAdmin(AppendOnlyAdmin):
    list_display = ["day", "counted_at"]
