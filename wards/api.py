from rest_framework import serializers, viewsets

from .filters import WardFilter
from .models import District, Ward


class DistrictSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = District
        fields = ["code", "name", "kind", "kind_display", "retired_on"]


class WardSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    successors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Ward
        fields = ["code", "name", "kind", "district", "retired_on", "successors", "retirement_note"]


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    """District-level units (quận, thị xã) with their GSO codes."""

    queryset = District.objects.order_by("code")
    serializer_class = DistrictSerializer
    lookup_field = "code"
    filterset_fields = ["kind"]


class WardViewSet(viewsets.ReadOnlyModelViewSet):
    """Wards, retired ones included (`retired=true` for only those, `retired=false` for those that exist)."""

    queryset = Ward.objects.select_related("district").prefetch_related("successors").order_by("code")
    serializer_class = WardSerializer
    lookup_field = "code"
    filterset_class = WardFilter
