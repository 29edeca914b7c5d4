from django.utils import timezone
from rest_framework import serializers, viewsets

from org.models import UnitKind

from . import selectors
from .filters import AssignmentFilter, TaskFilter
from .models import Assignment, Task
from .status import Status


class TaskSerializer(serializers.ModelSerializer):
    document = serializers.SlugRelatedField(slug_field="number", read_only=True)
    lead_department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    coordinating_departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id", "document", "section", "title", "description", "lead_department", "lead_label",
            "coordinating_departments", "coordination_note", "scope", "due_on", "deadline_is_illustrative",
            "is_illustrative",
        ]  # fmt: skip


class AssignmentSerializer(serializers.ModelSerializer):
    task = serializers.PrimaryKeyRelatedField(read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True)
    unit_kind = serializers.ChoiceField(choices=UnitKind.choices, read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.__str__", read_only=True)
    deadline_is_illustrative = serializers.BooleanField(
        source="task.deadline_is_illustrative",
        read_only=True,
        help_text="Thời hạn do cổng đặt để minh hoạ (nguồn không nêu thời hạn thật).",
    )
    status = serializers.ChoiceField(
        choices=Status.choices,
        read_only=True,
        help_text="Tình trạng tính đến ngày `as_of` (mặc định: hôm nay).",
    )

    class Meta:
        model = Assignment
        fields = [
            "id", "task", "task_title", "unit_kind", "unit_code", "unit_name", "given_on", "ended_on", "due_on",
            "deadline_is_illustrative", "original_due_on", "percent", "completed_on", "last_reported_at", "status",
        ]  # fmt: skip


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Tasks, with the same filters as the task list page."""

    queryset = Task.objects.select_related("document", "lead_department").prefetch_related(
        "coordinating_departments"
    )
    serializer_class = TaskSerializer
    filterset_class = TaskFilter

    def get_queryset(self):
        # With the page's counts of today, so that `order=overdue` sorts as on the page.
        return (
            selectors.task_list(timezone.localdate())
            .select_related("document", "lead_department")
            .prefetch_related("coordinating_departments")
        )


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assignments with their computed status; the same filters (and rows) as the assignment list page."""

    queryset = Assignment.objects.select_related("task", "department", "district", "ward")
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
