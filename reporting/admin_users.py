"""The users' admin as admins set people up: the unit and the roles first, each role in Vietnamese with what
it allows, and a warning when a user's unit and roles do not fit together.

It lives on the reporting side, which defines the roles, and replaces the plain registration of
accounts/admin.py (the user model knows nothing of roles).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin
from accounts.models import User

from .models import ROLE_DESCRIPTIONS, ROLES_NEEDING_A_UNIT, Role

UNIT_FIELDS = ["department", "district", "ward", "job_title"]


class RoleField(forms.ModelMultipleChoiceField):
    """The portal's roles (Django groups named by their code), shown by their Vietnamese name and what each
    allows; any other group an admin made keeps its own name."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, group):
        try:
            role = Role(group.name)
        except ValueError:
            return group.name
        return f"{role.label} — {ROLE_DESCRIPTIONS[role]}"


def _role_field():
    return RoleField(
        queryset=Group.objects.order_by("pk"),
        required=False,
        label=_("Vai trò"),
        help_text=_(
            "Cán bộ và lãnh đạo đơn vị phải thuộc một đơn vị ở trên; nếu không, họ không báo cáo được."
        ),
    )


def fit_warnings(user: User) -> list[str]:
    """What will not work for `user` as set up: a unit but no role, or a role that acts for a unit but none."""
    roles = {group.name for group in user.groups.all()}
    if user.is_superuser:
        return []
    if user.unit_key is not None and not roles:
        return [
            _(
                "Tài khoản %(user)s thuộc %(unit)s nhưng chưa có vai trò nào: đăng nhập được nhưng không báo cáo được. "
                "Hãy chọn vai trò (thường là “Cán bộ đơn vị”)."
            )
            % {"user": user.username, "unit": user.unit}
        ]
    needing = sorted(Role(name).label for name in roles & {r.value for r in ROLES_NEEDING_A_UNIT})
    if user.unit_key is None and needing:
        return [
            _(
                "Tài khoản %(user)s có vai trò %(roles)s nhưng chưa thuộc đơn vị nào: chưa làm được gì với vai trò này. "
                "Hãy chọn đơn vị."
            )
            % {"user": user.username, "roles": ", ".join(str(n) for n in needing)}
        ]
    return []


class PortalUserAdmin(UserAdmin):
    class Media:
        css = {"all": ["css/admin_users.css"]}

    fieldsets = (
        (None, {"fields": ["username", "password"]}),
        (_("Đơn vị và vai trò"), {"fields": [*UNIT_FIELDS, "groups"]}),
        (_("Thông tin cá nhân"), {"fields": ["last_name", "first_name", "email"]}),
        (_("Thông báo"), {"fields": ["reminder_digest_opt_out"]}),
        (
            _("Quyền quản trị"),
            {
                "classes": ["collapse"],
                "fields": ["is_active", "is_staff", "is_superuser", "user_permissions"],
            },
        ),
        (_("Ngày quan trọng"), {"classes": ["collapse"], "fields": ["last_login", "date_joined"]}),
    )
    add_fieldsets = (
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Đơn vị và vai trò"), {"fields": [*UNIT_FIELDS, "groups"]}),
        (_("Thông tin cá nhân"), {"fields": ["last_name", "first_name", "email"]}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The roles as a plain list of checkboxes, without the admin's "add a group" button beside them.
        if db_field.name == "groups":
            return _role_field()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for warning in fit_warnings(form.instance):
            messages.warning(request, warning)


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
