from django.contrib import admin

from .models import LegalDocument


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "issuer", "issued_on", "implements"]
    list_filter = ["kind", "issuer"]
    search_fields = ["number", "title", "summary"]
    date_hierarchy = "issued_on"
    autocomplete_fields = ["implements"]
