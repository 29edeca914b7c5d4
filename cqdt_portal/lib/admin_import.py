"""Upload → preview → confirm pages on a model's admin, for an import staged with cqdt_portal.lib.staged_import
(the ward list and the plan's task list use it).

A ModelAdmin that mixes this in gets `<import_slug>/` (upload) and `<import_slug>/<pk>/` (preview and confirm),
named `<app>_<model>_import` and `<app>_<model>_import_preview`. It says what its import reads and writes through
a few hooks (import_stage, import_apply, import_success_message, and optionally import_confirm_form). Only those
who may both add and change the model may import.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .importlog import ImportLog
from .spreadsheets import SpreadsheetError
from .staged_import import ImportRefused


class ImportUploadForm(forms.Form):
    """The file of an import; subclasses name it and add their own fields."""

    file = forms.FileField(label=gettext_lazy("Tệp"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if file.size > limit:
            raise forms.ValidationError(
                gettext_lazy("Tệp quá lớn: %(size)s MB, giới hạn %(limit)s MB."),
                params={"size": round(file.size / 1_000_000, 1), "limit": round(limit / 1_000_000, 1)},
            )
        return file


class ImportAdminMixin:
    import_slug = "nhap-tu-tep"
    import_log_model: type[ImportLog]
    import_form_class: type[ImportUploadForm]
    import_title = gettext_lazy("Nhập từ tệp")
    import_intro_template: str  # the upload page's explanation of the file
    import_preview_template: str  # extends admin/import_preview.html

    # --- What each import says -------------------------------------------------------------------------------

    def import_stage(self, request, form) -> ImportLog:
        """Read the uploaded file and stage it; raise SpreadsheetError for a file that cannot be read."""
        raise NotImplementedError

    def import_confirm_form(self, request, log) -> forms.Form | None:
        """A form the admin fills in on the preview before confirming (None: a bare confirmation)."""
        return None

    def import_apply(self, request, log, form):
        """Apply the staged import (raises ImportRefused) and return its plan."""
        raise NotImplementedError

    def import_success_message(self, log, plan) -> str:
        raise NotImplementedError

    # --- The pages -------------------------------------------------------------------------------------------

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
        info = (self.model._meta.app_label, self.model._meta.model_name)
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "import_title": self.import_title,
            "changelist_url": reverse("admin:{}_{}_changelist".format(*info)),
            "upload_url": reverse("admin:{}_{}_import".format(*info)),
            **extra,
        }

    def import_view(self, request):
        """Step 1: upload. The file is read and kept, unapplied; the admin is sent to its preview."""
        self._check_import_permission(request)
        posted = request.method == "POST"
        form = self.import_form_class(request.POST if posted else None, request.FILES if posted else None)
        if posted and form.is_valid():
            try:
                log = self.import_stage(request, form)
            except SpreadsheetError as e:
                form.add_error("file", str(e))
            else:
                info = (self.model._meta.app_label, self.model._meta.model_name)
                return redirect("admin:{}_{}_import_preview".format(*info), log.pk)
        return TemplateResponse(
            request,
            "admin/import_upload.html",
            self._context(request, self.import_title, form=form, intro_template=self.import_intro_template),
        )

    def import_preview_view(self, request, pk):
        """Step 2: what the import will do; confirming applies it in one transaction."""
        self._check_import_permission(request)
        log = get_object_or_404(
            self.import_log_model, pk=pk, uploaded_by=request.user, state=ImportLog.State.PREVIEWED
        )
        form = self.import_confirm_form(request, log)
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                plan = self.import_apply(request, log, form)
            except ImportRefused as e:
                messages.error(request, str(e))
            else:
                messages.success(request, self.import_success_message(log, plan))
                info = (self.model._meta.app_label, self.model._meta.model_name)
                return redirect("admin:{}_{}_changelist".format(*info))
        return TemplateResponse(
            request,
            self.import_preview_template,
            self._context(
                request,
                _("Xem trước: {file}").format(file=log.file_name),
                log=log,
                summary=log.summary,
                counts=log.summary["counts"],
                form=form,
            ),
        )
