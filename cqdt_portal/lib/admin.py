"""Admin pages for history: records that are shown exactly as they are, never added, edited or deleted here."""

from functools import reduce
from operator import or_

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .lifespan import existing_q
from .models import CacheVersion
from .vn import fold


class ReadOnlyInline(admin.TabularInline):
    """History shown in the admin exactly as it is: never added, edited or deleted here."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AppendOnlyAdmin(admin.ModelAdmin):
    """Reviews, extension records and import logs are history: shown, never edited or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ExistingFilter(admin.SimpleListFilter):
    """Whether a unit (a cqdt_portal.lib.lifespan.Lifespan) exists today."""

    title = gettext_lazy("tình trạng")
    parameter_name = "ton_tai"

    def lookups(self, request, model_admin):
        return [("co", gettext_lazy("Đang tồn tại")), ("khong", gettext_lazy("Đã thôi tồn tại"))]

    def queryset(self, request, queryset):
        today = existing_q(timezone.localdate())
        if self.value() == "co":
            return queryset.filter(today)
        if self.value() == "khong":
            return queryset.exclude(today)
        return queryset


class LifespanAdmin(admin.ModelAdmin):
    """A unit's dates change only through the reorganisations that end or create units (with their hand-overs),
    never by editing them here; a new unit may be given its dates when it is added."""

    lifespan_fields = ["valid_from", "valid_to", "ended_by"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, *self.lifespan_fields] if obj is not None else readonly

    def has_delete_permission(self, request, obj=None):
        # Ended with a date, never deleted: the assignments and history that name it must stay.
        return False

    def get_search_results(self, request, queryset, search_term):
        """Search without diacritics or case ("Phuc Xa" finds Phường Phúc Xá), here and in the pickers that
        look units up (a user's unit): every word must be in one of the search fields."""
        fields = [f.lstrip("^=@") for f in self.get_search_fields(request)]
        words = fold(search_term).split()
        if not fields or not words:
            return super().get_search_results(request, queryset, search_term)
        for word in words:
            queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__vn__contains": word}) for f in fields)))
        return queryset, False


@admin.register(CacheVersion)
class CacheVersionAdmin(AppendOnlyAdmin):
    """Written by database triggers only (versions.py); shown, never edited."""

    list_display = ["topic", "token"]
    search_fields = ["topic"]
