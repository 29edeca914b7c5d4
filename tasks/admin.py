from django.contrib import admin

from .models import Assignment, Department, Holiday, ProgressUpdate, Reminder, ReminderSettings, Task


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
    list_display = [
        "task",
        "department",
        "district",
        "ward",
        "due_on",
        "percent",
        "completed_on",
        "escalated_at",
    ]
    list_filter = [
        "task__document",
        "department",
        "district",
        "due_on",
        ("escalated_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["task", "department", "district", "ward"]
    search_fields = ["task__title", "ward__name", "district__name", "department__name"]
    autocomplete_fields = ["task", "department", "district", "ward"]
    readonly_fields = ["percent", "completed_on", "last_reported_at", "original_due_on", "escalated_at"]
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


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Admins add each year's days off (Tết, Giỗ Tổ, 2/9, days in lieu) as the Government announces them."""

    list_display = ["date", "name"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "days_before", "overdue_every_days", "escalate_after"]

    def has_add_permission(self, request):
        # One row (pk 1), created by `seed`.
        return not ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The reminder log, read-only: it is what proves a unit was reminded, and what stops a second mail."""

    list_display = [
        "sent_on",
        "kind",
        "recipient",
        "assignment",
        "days_to_due",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "kind", "sent_on"]
    list_select_related = [
        "recipient",
        "assignment__task",
        "assignment__department",
        "assignment__district",
        "assignment__ward",
    ]
    search_fields = ["recipient__username", "recipient__email", "assignment__task__title"]
    date_hierarchy = "sent_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
