"""Admin pages for history: records that are shown exactly as they are, never added, edited or deleted here."""

from django.contrib import admin


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
