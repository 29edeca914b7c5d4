"""The reporting side in the admin. Reports, reviews and extension records are history: shown, never edited.

The assignment's admin is here rather than in tasks/admin.py because it shows each assignment's reports and
extension requests alongside it.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.admin import AppendOnlyAdmin, ReadOnlyInline
from tasks.models import Assignment
from tasks.services import status_summary_refresh

from . import admin_users  # noqa: F401 — registers the users' admin with the roles
from .models import (
    Evidence,
    ExtensionDecision,
    ExtensionRequest,
    ProgressUpdate,
    ReportReview,
    UnitPolicy,
)


class ProgressUpdateInline(ReadOnlyInline):
    model = ProgressUpdate
    fields = [
        "reported_at",
        "author",
        "percent",
        "completed_on",
        "note",
        "outgoing_number",
        "outgoing_date",
        "needs_head_approval",
        "state",
    ]

    @admin.display(description=_("tình trạng báo cáo"))
    def state(self, obj):
        return obj.state.label

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").with_review_state()


class ReportReviewInline(ReadOnlyInline):
    model = ReportReview
    fields = ["decided_at", "reviewer", "stage", "outcome", "reason"]


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["uploaded_at", "original_name", "content_type", "size", "download"]

    @admin.display(description=_("tải về"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Tải về"))


class ExtensionRequestInline(ReadOnlyInline):
    model = ExtensionRequest
    fields = [
        "requested_at",
        "requested_by",
        "current_due_on",
        "requested_due_on",
        "reason",
        "document_number",
        "document_date",
        "decision_text",
    ]

    @admin.display(description=_("quyết định"))
    def decision_text(self, obj):
        decision = getattr(obj, "decision", None)
        if decision is None:
            return _("Chờ quyết định")
        return (
            f"{decision} — {decision.decided_by} {timezone.localtime(decision.decided_at):%H:%M %d/%m/%Y}"
            + (f" — {decision.granted_due_on:%d/%m/%Y}" if decision.granted_due_on else "")
            + (f" — {decision.document_label}" if decision.document_number else "")
            + (f" — {decision.reason}" if decision.reason else "")
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requested_by", "decision__decided_by")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = [
        "task",
        "department",
        "district",
        "ward",
        "due_on",
        "percent",
        "completed_on",
        "escalated_at",
    ]
    list_filter = [
        "task__document",
        "department",
        "district",
        "due_on",
        ("escalated_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["task", "department", "district", "ward"]
    search_fields = ["task__title", "ward__name", "district__name", "department__name"]
    autocomplete_fields = ["task", "department", "district", "ward"]
    # The deadline moves only through an extension request and its decision, so that it stays on record.
    readonly_fields = ["percent", "completed_on", "last_reported_at", "original_due_on", "escalated_at"]
    inlines = [ProgressUpdateInline, ExtensionRequestInline]

    # Once reported on, an assignment's unit, task and start are its history: moving it would carry its reports
    # and extensions to work they were not about. A unit's work goes to another by a hand-over, on record.
    history_fields = ["task", "department", "district", "ward", "given_on"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # The lineage is written by the hand-over services, with their record; the creation time is a fact.
        fields = [*self.readonly_fields, "due_on", "handed_over_from", "created_at"]
        if obj.updates.exists() or obj.extension_requests.exists():
            fields += self.history_fields
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        status_summary_refresh()  # a new assignment, or one moved to another unit or task: the totals follow

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Reports are append-only: the admin shows them, never edits or deletes them."""

    list_display = ["assignment", "author", "reported_at", "percent", "completed_on"]
    list_filter = ["reported_at"]
    list_select_related = ["assignment__task", "author"]
    search_fields = ["note", "assignment__task__title", "author__username"]
    date_hierarchy = "reported_at"
    inlines = [ReportReviewInline, EvidenceInline]

    def has_add_permission(self, request):
        # Written only by the unit's form (reporting.services.progress_report): its author, its day, its
        # approval and the version check are the portal's, never typed in.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportReview)
class ReportReviewAdmin(AppendOnlyAdmin):
    list_display = ["update", "stage", "outcome", "reviewer", "decided_at"]
    list_filter = ["stage", "outcome"]
    list_select_related = ["update", "reviewer"]
    search_fields = ["reason", "reviewer__username", "update__assignment__task__title"]
    date_hierarchy = "decided_at"


@admin.register(Evidence)
class EvidenceAdmin(AppendOnlyAdmin):
    """Evidence files stay with their report; download goes through the access check, never /media/."""

    list_display = ["original_name", "content_type", "size", "update", "uploaded_at"]
    list_filter = ["content_type"]
    list_select_related = ["update"]
    search_fields = ["original_name", "update__assignment__task__title"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(AppendOnlyAdmin):
    list_display = [
        "assignment",
        "requested_by",
        "requested_at",
        "current_due_on",
        "requested_due_on",
        "document_number",
    ]
    list_select_related = ["assignment__task", "requested_by"]
    search_fields = ["reason", "assignment__task__title", "requested_by__username", "document_number"]


@admin.register(ExtensionDecision)
class ExtensionDecisionAdmin(AppendOnlyAdmin):
    list_display = [
        "request",
        "approved",
        "granted_due_on",
        "effective",
        "document_number",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["approved", "effective"]
    list_select_related = ["request", "decided_by"]
    search_fields = ["reason", "request__assignment__task__title", "document_number"]


@admin.register(UnitPolicy)
class UnitPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "head_approval_required"]
    autocomplete_fields = ["department", "district", "ward"]
