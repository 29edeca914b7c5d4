import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.vn import fold

from .models import District, Ward


class UnitFilter(filters.FilterSet):
    """Units as of a day (default today): a code names a unit only within its lifespan."""

    as_of = filters.DateFilter(label=_("Tính đến ngày"), method="filter_nothing")
    code = filters.CharFilter(label=_("Mã"), max_length=5)
    q = filters.CharFilter(label=_("Tìm kiếm"), method="filter_search", max_length=200)

    @property
    def as_of_date(self):
        if self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("as_of"):
            return self.form.cleaned_data["as_of"]
        return timezone.localdate()

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.existing_on(self.as_of_date))

    def filter_nothing(self, queryset, name, value):
        return queryset  # as_of chooses the day (see filter_queryset)

    def filter_search(self, queryset, name, value):
        phrase = " ".join(fold(value).split())
        return queryset.filter(Q(name__vn__contains=phrase) | Q(code=value.strip()))


class DistrictFilter(UnitFilter):
    class Meta:
        model = District
        fields = ["kind"]


class WardFilter(UnitFilter):
    district = filters.CharFilter(label=_("Mã quận, thị xã"), method="filter_district", max_length=3)

    class Meta:
        model = Ward
        fields = ["kind"]

    def filter_district(self, queryset, name, value):
        return queryset.filter(district__code=value)
