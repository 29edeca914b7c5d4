from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from .models import ApiToken, LoginLockout, User


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


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    """Who is locked out of signing in, and why; "Mở khoá" clears a pair's count at once."""

    list_display = ["user_name", "address", "failures", "last_failure", "locked_until"]
    list_display_links = ["user_name"]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    fields = ["user_name", "address", "failures", "last_failure", "locked_until", "browser", "page"]
    readonly_fields = fields
    actions = ["unlock"]

    @admin.display(description=_("tên đăng nhập"), ordering="username")
    def user_name(self, obj):
        return obj.username

    @admin.display(description=_("địa chỉ mạng"), ordering="ip_address")
    def address(self, obj):
        return obj.ip_address

    @admin.display(description=_("số lần sai"), ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description=_("lần sai gần nhất"), ordering="attempt_time")
    def last_failure(self, obj):
        return timezone.localtime(obj.attempt_time).strftime("%H:%M %d/%m/%Y")

    @admin.display(description=_("trình duyệt"))
    def browser(self, obj):
        return obj.user_agent

    @admin.display(description=_("trang đăng nhập"))
    def page(self, obj):
        return obj.path_info

    @admin.display(description=_("khoá đến"))
    def locked_until(self, obj):
        if obj.failures_since_start < settings.AXES_FAILURE_LIMIT:
            return _("Chưa khoá")
        until = obj.attempt_time + settings.AXES_COOLOFF_TIME
        if until <= timezone.now():
            return _("Đã hết hạn khoá")
        return timezone.localtime(until).strftime("%H:%M %d/%m/%Y")

    @admin.action(description=_("Mở khoá đăng nhập cho các dòng đã chọn"), permissions=["delete"])
    def unlock(self, request, queryset):
        count, _rows = queryset.delete()
        self.message_user(request, _("Đã mở khoá %(count)d dòng.") % {"count": count})

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# DRF's own admin names a token by its key, which the admin's history would keep: this one names it by its user.
admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(TokenAdmin):
    autocomplete_fields = ["user"]
