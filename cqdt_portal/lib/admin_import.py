"""Upload → preview → confirm pages on a model's admin (the ward list and the plan tasks use it)."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.views.decorators.http import require_http_methods


class ImportAdminMixin:
    """Adds `<import_slug>/` (upload) and `<import_slug>/<pk>/` (preview and confirm) to a ModelAdmin, named
    `<app>_<model>_import` and `<app>_<model>_import_preview`. The admin defines import_view(request) and
    import_preview_view(request, pk); only those who may both add and change the model may import."""

    import_slug = "nhap-tu-tep"

    def get_urls(self):
        info = (self.model._meta.app_label, self.model._meta.model_name)

        def wrap(view):
            return self.admin_site.admin_view(require_http_methods(["GET", "POST"])(view))

        return [
            path(f"{self.import_slug}/", wrap(self.import_view), name="{}_{}_import".format(*info)),
            path(
                f"{self.import_slug}/<int:pk>/",
                wrap(self.import_preview_view),
                name="{}_{}_import_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def _check_import_permission(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **extra}
