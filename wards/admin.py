from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import District, Ward


class RetiredFilter(admin.SimpleListFilter):
    title = _("tình trạng")
    parameter_name = "retired"

    def lookups(self, request, model_admin):
        return [("no", _("Đang tồn tại")), ("yes", _("Đã thôi tồn tại"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(retired_on__isnull=True)
        if self.value() == "yes":
            return queryset.filter(retired_on__isnull=False)
        return queryset


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "retired_on"]
    list_filter = ["kind", RetiredFilter]
    search_fields = ["code", "name"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "district", "retired_on"]
    list_filter = [RetiredFilter, "kind", "district"]
    list_select_related = ["district"]
    search_fields = ["code", "name", "district__name"]
    autocomplete_fields = ["district", "successors"]

    def has_delete_permission(self, request, obj=None):
        # A ward is retired with a date, never deleted: its assignments and history must stay.
        return False
