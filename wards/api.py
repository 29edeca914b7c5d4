from django.http import Http404
from rest_framework import serializers, viewsets

from .filters import DistrictFilter, WardFilter
from .models import District, Succession, Ward

LIFESPAN = ["valid_from", "valid_to", "ended_by"]


class DistrictSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = District
        fields = ["code", "name", "kind", "kind_display", *LIFESPAN]


class SuccessionSerializer(serializers.ModelSerializer):
    """One old unit → new unit step, seen from either side."""

    code = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    class Meta:
        model = Succession
        fields = ["code", "name", "relation", "effective_on", "legal_basis"]

    def _other(self, succession):
        return succession.successor if self.context.get("side") == "successor" else None

    def get_code(self, succession) -> str:
        other = self._other(succession)
        return other.code if other else succession.predecessor_code

    def get_name(self, succession) -> str:
        other = self._other(succession)
        return other.full_name if other else succession.predecessor_name


class WardSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Mã quận, thị xã; null từ 01/07/2025."
    )
    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()

    class Meta:
        model = Ward
        fields = [
            "code",
            "name",
            "kind",
            "district",
            *LIFESPAN,
            "predecessors",
            "successors",
            "retirement_note",
        ]

    def get_predecessors(self, ward) -> list[dict]:
        return SuccessionSerializer(ward.predecessions.all(), many=True, context={"side": "predecessor"}).data

    def get_successors(self, ward) -> list[dict]:
        return SuccessionSerializer(ward.successions.all(), many=True, context={"side": "successor"}).data


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units as of `as_of` (YYYY-MM-DD, default today): only those that existed that day. A code names a unit
    only within its lifespan, so /<code>/ is the unit that had that code on `as_of`."""

    lookup_field = "code"

    def get_object(self):
        filterset = self.filterset_class(self.request.query_params, queryset=self.get_queryset())
        found = filterset.qs.filter(code=self.kwargs["code"]).first()
        if found is None:
            raise Http404
        self.check_object_permissions(self.request, found)
        return found


class DistrictViewSet(UnitViewSet):
    """District-level units (quận, thị xã) with their GSO codes; none from 01/07/2025."""

    queryset = District.objects.order_by("code")
    lookup_value_regex = "[0-9]{3}"  # the GSO's three digits: the URL and the API's schema say so
    serializer_class = DistrictSerializer
    filterset_class = DistrictFilter


class WardViewSet(UnitViewSet):
    """Commune-level units (phường, xã), with where each came from and went."""

    queryset = (
        Ward.objects.select_related("district")
        .prefetch_related("predecessions", "successions__successor")
        .order_by("code")
    )
    serializer_class = WardSerializer
    filterset_class = WardFilter
    lookup_value_regex = "[0-9]{5}"  # the GSO's five digits
