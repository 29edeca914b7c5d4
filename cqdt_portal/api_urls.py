"""The read-only JSON API and its OpenAPI schema (/api/schema/, browsable docs at /api/docs/)."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from org.api import DepartmentViewSet
from plans.api import LegalDocumentViewSet
from tasks.api import AssignmentViewSet, TaskViewSet
from wards.api import DistrictViewSet, WardViewSet

router = DefaultRouter()
router.register("documents", LegalDocumentViewSet)
router.register("districts", DistrictViewSet)
router.register("wards", WardViewSet)
router.register("departments", DepartmentViewSet)
router.register("tasks", TaskViewSet)
router.register("assignments", AssignmentViewSet)


def _schema(request, *args, **kwargs):
    # drf-spectacular's views are imported by the first request for them, not by every process that loads the
    # URLs (the daily reminder command among them: docs/benchmarks.md).
    from drf_spectacular.views import SpectacularAPIView

    return SpectacularAPIView.as_view()(request, *args, **kwargs)


def _docs(request, *args, **kwargs):
    from drf_spectacular.views import SpectacularSwaggerSplitView

    return SpectacularSwaggerSplitView.as_view(url_name="schema")(request, *args, **kwargs)


urlpatterns = [
    path("schema/", _schema, name="schema"),
    # The split view serves Swagger UI's script as a file, so the page needs no inline script. Swagger UI
    # sets inline styles as it renders; this one page allows inline styles (never inline scripts).
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(_docs),
        name="docs",
    ),
    path("", include(router.urls)),
]
