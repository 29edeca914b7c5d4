from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from .models import District


def district_list(request):
    districts = District.objects.annotate(
        n_wards=Count("wards", filter=Q(wards__retired_on__isnull=True)),
        n_retired=Count("wards", filter=Q(wards__retired_on__isnull=False)),
    ).filter(n_wards__gt=0)
    return render(request, "wards/district_list.html", {"districts": districts})


def district_detail(request, code):
    district = get_object_or_404(District, code=code)
    wards = district.wards.prefetch_related("successors", "predecessors")
    return render(
        request,
        "wards/district_detail.html",
        {
            "district": district,
            "wards": [w for w in wards if not w.is_retired],
            "retired": [w for w in wards if w.is_retired],
        },
    )
