from rest_framework import serializers, viewsets

from .models import LegalDocument


class LegalDocumentSerializer(serializers.ModelSerializer):
    implements = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    superseded_by = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = LegalDocument
        fields = [
            "id", "number", "kind", "issuer", "issued_on", "in_force_on", "title", "summary", "implements",
            "superseded_by",
        ]  # fmt: skip


class LegalDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """The legal chain: each document names the one it implements."""

    queryset = LegalDocument.objects.select_related("implements", "superseded_by")
    serializer_class = LegalDocumentSerializer
    filterset_fields = ["kind"]
