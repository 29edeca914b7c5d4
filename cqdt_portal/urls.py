from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path, reverse
from django.views.generic import RedirectView

from reporting.access import has_worklist

admin.site.site_header = "CQĐT Portal — Quản trị"
admin.site.site_title = "CQĐT Portal"
admin.site.index_title = "Quản trị dữ liệu"

# Models that left the tasks app when the code was housed by feature. Their admin pages moved with them
# (/quan-tri/<app>/<model>/); bookmarks of the old addresses still lead there.
MOVED_FROM_TASKS = {
    "department": "org",
    "holiday": "reminders",
    "remindersettings": "reminders",
    "reminder": "reminders",
    "progressupdate": "reporting",
    "reportreview": "reporting",
    "evidence": "reporting",
    "extensionrequest": "reporting",
    "extensiondecision": "reporting",
    "unitpolicy": "reporting",
}


class LoginView(auth_views.LoginView):
    """After signing in, unit staff, unit heads and reviewers start from Việc của tôi; city officials from the
    city's overview (LOGIN_REDIRECT_URL). A `next` address still wins."""

    def get_default_redirect_url(self):
        if has_worklist(self.request.user):
            return reverse("reporting:worklist")
        return super().get_default_redirect_url()


# Who runs the portal and whom to ask: on the login and password-reset pages, and in the reset mail.
PORTAL_CONTACT = {"agency": settings.PORTAL_AGENCY, "support": settings.PORTAL_SUPPORT_CONTACT}

urlpatterns = [
    path("dang-nhap/", LoginView.as_view(extra_context=PORTAL_CONTACT), name="login"),
    # Quên mật khẩu: a one-time link by e-mail to the address on the account (Django's reset views; they say
    # the same whether or not the address is known, so nobody learns who has an account).
    path(
        "quen-mat-khau/",
        auth_views.PasswordResetView.as_view(
            extra_context=PORTAL_CONTACT,
            extra_email_context=PORTAL_CONTACT,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(extra_context=PORTAL_CONTACT),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=PORTAL_CONTACT),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=PORTAL_CONTACT),
        name="password_reset_complete",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    *(
        re_path(
            rf"^quan-tri/tasks/{model}/(?P<rest>.*)$",
            RedirectView.as_view(url=f"/quan-tri/{app}/{model}/%(rest)s", permanent=True, query_string=True),
        )
        for model, app in MOVED_FROM_TASKS.items()
    ),
    path("quan-tri/", admin.site.urls),
    path("api/", include("cqdt_portal.api_urls")),
    path("tai-khoan/", include("accounts.urls")),
    path("nhac-han/", include("reminders.urls")),
    path("", include("notifications.urls")),
    path("", include("dashboards.urls")),
    path("", include("reporting.urls")),
    path("", include("tasks.urls")),
]

# MEDIA_ROOT is deliberately not served, not even in development: evidence files are downloaded only through
# reporting:evidence_download, which checks that the user may read the assignment.

handler400 = "cqdt_portal.errors.bad_request"
handler403 = "cqdt_portal.errors.permission_denied"
handler404 = "cqdt_portal.errors.page_not_found"
handler500 = "cqdt_portal.errors.server_error"
