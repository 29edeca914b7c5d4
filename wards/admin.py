from django.contrib import admin
from django.utils.translation import gettext_lazy

from cqdt_portal.lib.admin import AppendOnlyAdmin, ReadOnlyInline

from .models import District, WardChange, WardImport


class RetiredFilter(admin.SimpleListFilter):
    title = gettext_lazy("tình trạng")
    parameter_name = "retired"

    def lookups(self, request, model_admin):
        return [("no", gettext_lazy("Đang tồn tại")), ("yes", gettext_lazy("Đã thôi tồn tại"))]

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


class WardChangeInline(ReadOnlyInline):
    """The ward's recorded history (imports): shown, never edited."""

    model = WardChange
    fk_name = "ward"
    show_change_link = False
    fields = ["effective_on", "kind", "old_value", "new_value", "ward_import", "recorded_at"]


class WardAdmin(admin.ModelAdmin):
    """The wards' admin. It is registered by tasks/admin.py, with the import of the official list: importing
    a list also gives new wards their tasks, which only the tasks side knows how to do."""

    list_display = ["code", "name", "kind", "district", "retired_on"]
    list_filter = [RetiredFilter, "kind", "district"]
    list_select_related = ["district"]
    search_fields = ["code", "name", "district__name"]
    autocomplete_fields = ["district", "successors"]
    inlines = [WardChangeInline]

    def has_delete_permission(self, request, obj=None):
        # A ward is retired with a date, never deleted: its assignments and history must stay.
        return False


@admin.register(WardImport)
class WardImportAdmin(AppendOnlyAdmin):
    """The log of imports: read-only (who, when, which file and checksum, what it did)."""

    list_display = ["file_name", "uploaded_by", "uploaded_at", "state", "applied_at", "effective_on"]
    list_filter = ["state"]
    fields = [
        "file_name",
        "sha256",
        "province_code",
        "effective_on",
        "state",
        "uploaded_by",
        "uploaded_at",
        "applied_at",
        "summary",
    ]
    readonly_fields = fields


@admin.register(WardChange)
class WardChangeAdmin(AppendOnlyAdmin):
    list_display = ["recorded_at", "kind", "district", "ward", "old_value", "new_value", "effective_on"]
    list_filter = ["kind", "effective_on"]
    list_select_related = ["district", "ward__district"]
    search_fields = ["ward__code", "ward__name", "district__name"]
