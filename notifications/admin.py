from django.contrib import admin

from cqdt_portal.lib.admin import AppendOnlyAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(AppendOnlyAdmin):
    """The record of what each person was told and whether the e-mail went: read-only."""

    list_display = ["created_at", "recipient", "kind", "title", "read_at", "email_status", "emailed_at"]
    list_filter = ["kind", "email_status"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username", "recipient__last_name", "key"]
    date_hierarchy = "created_at"
