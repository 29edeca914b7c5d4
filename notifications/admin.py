from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The record of what each person was told and whether the e-mail went: read-only."""

    list_display = ["created_at", "recipient", "kind", "title", "read_at", "email_status", "emailed_at"]
    list_filter = ["kind", "email_status"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username", "recipient__last_name", "key"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
