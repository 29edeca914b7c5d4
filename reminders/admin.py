from django.contrib import admin

from cqdt_portal.lib.admin import AppendOnlyAdmin

from .models import Chase, Holiday, Reminder, ReminderSettings, UnreachableUnitsNotice


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


@admin.register(Chase)
class ChaseAdmin(AppendOnlyAdmin):
    """Who chased which units, when and with what message (each mail is in the reminder log)."""

    list_display = ["created_at", "sent_by", "message"]
    list_select_related = ["sent_by"]
    search_fields = ["message", "sent_by__username"]
    date_hierarchy = "sent_on"


@admin.register(UnreachableUnitsNotice)
class UnreachableUnitsNoticeAdmin(AppendOnlyAdmin):
    """The admins' daily mail of units nobody can be mailed at: when it went and how many units it listed."""

    list_display = ["sent_on", "units", "sent_at"]
    search_fields = ["sent_on"]
