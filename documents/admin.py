"""The issuing office's one row, edited in the admin ("Cơ quan ban hành báo cáo")."""

from django.contrib import admin

from .models import IssuingOffice


@admin.register(IssuingOffice)
class IssuingOfficeAdmin(admin.ModelAdmin):
    list_display = ["body", "parent_body", "symbol", "place"]
    fieldsets = [
        ("Phần đầu văn bản", {"fields": ["parent_body", "body", "symbol", "place"]}),
        ("Phần cuối văn bản", {"fields": ["signer_title", "signer_name", "recipients"]}),
    ]

    def has_add_permission(self, request):
        return not IssuingOffice.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
