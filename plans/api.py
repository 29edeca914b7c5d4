from rest_framework import serializers, viewsets

from .models import LegalDocument


class LegalDocumentSerializer(serializers.ModelSerializer):
    implements = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = LegalDocument
        fields = ["id", "number", "kind", "issuer", "issued_on", "title", "summary", "implements"]


class LegalDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """The legal chain: each document names the one it implements."""

    queryset = LegalDocument.objects.select_related("implements").order_by("issued_on", "number")
    serializer_class = LegalDocumentSerializer
    filterset_fields = ["kind"]
