"""The read-only JSON API and its OpenAPI schema (/api/schema/, browsable docs at /api/docs/)."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
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

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's script as a file, so the page needs no inline script. Swagger UI
    # sets inline styles as it renders; this one page allows inline styles (never inline scripts).
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="docs",
    ),
    path("", include(router.urls)),
]
