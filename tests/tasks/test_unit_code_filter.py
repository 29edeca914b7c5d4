"""A unit code in a list's filter means the unit that had the code on the list's day, whatever built the filter's
fields before (the API schema builds them on the class)."""

from django.utils import timezone

from tasks.filters import AssignmentFilter
from tasks.models import Assignment
from wards.models import District


def test_a_field_built_on_the_class_does_not_freeze_the_choices(db):
    AssignmentFilter.base_filters["district"].field  # noqa: B018 — what the API schema's generation does
    assert AssignmentFilter.base_filters["district"].__dict__.get("_field") is not None
    try:
        filterset = AssignmentFilter({"district": "001"}, queryset=Assignment.objects.all())
        assert filterset.is_valid(), filterset.errors
        ba_dinh = District.objects.existing_on(timezone.localdate()).get(code="001")
        assert (
            filterset.qs.count()
            == Assignment.objects.existing_on(timezone.localdate()).for_district(ba_dinh).count()
        )
    finally:
        AssignmentFilter.base_filters["district"].__dict__.pop("_field", None)
