from django.contrib import admin

from cqdt_portal.lib.admin import ExistingFilter, LifespanAdmin

from .models import Department


@admin.register(Department)
class DepartmentAdmin(LifespanAdmin):
    list_display = ["name", "short_name", "kind", "valid_from", "valid_to"]
    list_filter = [ExistingFilter, "kind"]
    search_fields = ["name", "short_name", "code"]
    prepopulated_fields = {"code": ["name"]}
