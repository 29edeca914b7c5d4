from rest_framework import serializers, viewsets

from .models import Department


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name", "short_name", "kind", "valid_from", "valid_to", "ended_by"]


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Department.objects.order_by("name")
    serializer_class = DepartmentSerializer
    lookup_field = "code"
    # A slug, as the model has it: the URL and the API's schema say so, and anything else is not found.
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_fields = ["kind"]
