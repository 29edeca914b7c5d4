"""The read-only JSON API and its OpenAPI schema (/api/schema/, browsable docs at /api/docs/)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from plans.api import LegalDocumentViewSet
from tasks.api import AssignmentViewSet, DepartmentViewSet, TaskViewSet
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
    # The split view serves Swagger UI's script as a file, so the page needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("", include(router.urls)),
]
