from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqdt_portal.lib.admin_import import ImportAdminMixin

from .forms import SuccessorsForm, WardImportForm
from .imports import WardFileError
from .models import District, Ward, WardChange, WardImport
from .services import WardImportRefused, ward_import_apply, ward_import_stage


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


class WardChangeInline(admin.TabularInline):
    """The ward's recorded history (imports): shown, never edited."""

    model = WardChange
    fk_name = "ward"
    extra = 0
    can_delete = False
    fields = ["effective_on", "kind", "old_value", "new_value", "ward_import", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Ward)
class WardAdmin(ImportAdminMixin, admin.ModelAdmin):
    import_slug = "nhap-danh-muc"
    list_display = ["code", "name", "kind", "district", "retired_on"]
    list_filter = [RetiredFilter, "kind", "district"]
    list_select_related = ["district"]
    search_fields = ["code", "name", "district__name"]
    autocomplete_fields = ["district", "successors"]
    inlines = [WardChangeInline]

    def has_delete_permission(self, request, obj=None):
        # A ward is retired with a date, never deleted: its assignments and history must stay.
        return False

    def import_view(self, request):
        """Step 1: upload. The file is read and kept, unapplied; the admin is sent to its preview."""
        self._check_import_permission(request)
        posted = request.method == "POST"
        form = WardImportForm(request.POST if posted else None, request.FILES if posted else None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                ward_import, _plan = ward_import_stage(
                    file_name=upload.name,
                    content=upload.read(),
                    province_code=form.cleaned_data["province_code"],
                    effective_on=form.cleaned_data["effective_on"],
                    by=request.user,
                )
            except WardFileError as e:
                form.add_error("file", str(e))
            else:
                return redirect("admin:wards_ward_import_preview", ward_import.pk)
        return TemplateResponse(
            request,
            "admin/wards/ward_import.html",
            self._context(request, _("Nhập danh mục phường"), form=form),
        )

    def import_preview_view(self, request, pk):
        """Step 2: what the import will do; confirming applies it in one transaction."""
        self._check_import_permission(request)
        ward_import = get_object_or_404(
            WardImport, pk=pk, uploaded_by=request.user, state=WardImport.State.PREVIEWED
        )
        changes = ward_import.summary["changes"]
        # An empty POST is a confirmation too (no successor chosen), so bind on the method, not on the data.
        form = SuccessorsForm(
            request.POST if request.method == "POST" else None,
            retired=changes["retired"],
            created=changes["created"],
        )
        if request.method == "POST" and form.is_valid():
            try:
                plan = ward_import_apply(ward_import=ward_import, successors=form.successors())
            except WardImportRefused as e:
                messages.error(request, str(e))
            else:
                counts = plan.counts()
                messages.success(
                    request,
                    _(
                        "Đã nhập danh mục {file}: thêm {created}, đổi tên {renamed}, chuyển quận {moved}, "
                        "thôi tồn tại {retired}, giữ nguyên {unchanged}; giao thêm {assignments} nhiệm vụ."
                    ).format(
                        file=ward_import.file_name,
                        created=counts["created"],
                        renamed=counts["renamed"],
                        moved=counts["moved"],
                        retired=counts["retired"],
                        unchanged=counts["unchanged"],
                        assignments=counts["new_assignments"],
                    ),
                )
                return redirect("admin:wards_ward_changelist")
        return TemplateResponse(
            request,
            "admin/wards/ward_import_preview.html",
            self._context(
                request,
                _("Xem trước: {file}").format(file=ward_import.file_name),
                ward_import=ward_import,
                summary=ward_import.summary,
                counts=ward_import.summary["counts"],
                changes=changes,
                form=form,
                upload_url=reverse("admin:wards_ward_import"),
            ),
        )


@admin.register(WardImport)
class WardImportAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WardChange)
class WardChangeAdmin(admin.ModelAdmin):
    list_display = ["recorded_at", "kind", "district", "ward", "old_value", "new_value", "effective_on"]
    list_filter = ["kind", "effective_on"]
    list_select_related = ["district", "ward__district"]
    search_fields = ["ward__code", "ward__name", "district__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
