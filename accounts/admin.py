from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "department",
        "district",
        "ward",
        "is_active",
        "reminder_digest_opt_out",
    ]
    list_filter = ["is_active", "reminder_digest_opt_out", "is_staff", "groups", "department", "district"]
    list_select_related = ["department", "district", "ward"]
    search_fields = ["username", "email", "first_name", "last_name"]
    autocomplete_fields = ["department", "district", "ward"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Đơn vị"), {"fields": ["department", "district", "ward", "job_title"]}),
        (_("Thông báo"), {"fields": ["reminder_digest_opt_out"]}),
    )

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: reports keep their author.
        return False


# DRF's own admin names a token by its key, which the admin's history would keep: this one names it by its user.
admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(TokenAdmin):
    autocomplete_fields = ["user"]
