from django.contrib import admin
from django.utils.translation import gettext_lazy

from cqdt_portal.lib.admin import AppendOnlyAdmin, ExistingFilter, LifespanAdmin, ReadOnlyInline

from .models import District, Succession, WardChange, WardImport


@admin.register(District)
class DistrictAdmin(LifespanAdmin):
    list_display = ["code", "name", "kind", "valid_from", "valid_to"]
    list_filter = [ExistingFilter, "kind"]
    search_fields = ["code", "name"]


class WardChangeInline(ReadOnlyInline):
    """The ward's recorded history (imports): shown, never edited."""

    model = WardChange
    fk_name = "ward"
    show_change_link = False
    fields = ["effective_on", "kind", "old_value", "new_value", "ward_import", "recorded_at"]


class PredecessionInline(ReadOnlyInline):
    """Where this unit came from (the old units that went into it)."""

    model = Succession
    fk_name = "successor"
    show_change_link = False
    verbose_name = gettext_lazy("đơn vị cũ nhập vào")
    verbose_name_plural = gettext_lazy("các đơn vị cũ nhập vào")
    fields = ["predecessor_name", "predecessor_code", "relation", "effective_on", "legal_basis"]


class SuccessionInline(ReadOnlyInline):
    """Where this unit went (the new units that received it)."""

    model = Succession
    fk_name = "predecessor"
    show_change_link = False
    verbose_name = gettext_lazy("đơn vị mới nhận")
    verbose_name_plural = gettext_lazy("các đơn vị mới nhận")
    fields = ["successor", "relation", "effective_on", "legal_basis"]


class WardAdmin(LifespanAdmin):
    """The wards' admin. It is registered by tasks/admin.py, with the import of the official list: importing
    a list also gives new wards their tasks and hands over the tasks of the units it ends, which only the tasks
    side knows how to do."""

    list_display = ["code", "name", "kind", "district", "valid_from", "valid_to"]
    list_filter = [ExistingFilter, "kind", "district"]
    list_select_related = ["district"]
    search_fields = ["code", "name", "district__name"]
    autocomplete_fields = ["district"]
    inlines = [PredecessionInline, SuccessionInline, WardChangeInline]


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


@admin.register(Succession)
class SuccessionAdmin(AppendOnlyAdmin):
    list_display = [
        "effective_on",
        "predecessor_name",
        "predecessor_code",
        "successor",
        "relation",
        "legal_basis",
    ]
    list_filter = ["effective_on", "relation", "legal_basis"]
    list_select_related = ["successor"]
    search_fields = ["predecessor_name", "predecessor_code", "successor__name", "successor__code"]
