import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqdt_portal.lib.vn import fold

from .models import District, Ward


class WardFilter(filters.FilterSet):
    district = filters.ModelChoiceFilter(
        label=_("Quận, thị xã"), to_field_name="code", queryset=District.objects.all()
    )
    retired = filters.BooleanFilter(
        label=_("Đã thôi tồn tại"), field_name="retired_on", lookup_expr="isnull", exclude=True
    )
    q = filters.CharFilter(label=_("Tìm kiếm"), method="filter_search", max_length=200)

    class Meta:
        model = Ward
        fields = ["kind"]

    def filter_search(self, queryset, name, value):
        phrase = " ".join(fold(value).split())
        return queryset.filter(Q(name__vn__contains=phrase) | Q(code=value.strip()))
