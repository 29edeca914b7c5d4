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


urlpatterns = [
    path("dang-nhap/", LoginView.as_view(), name="login"),
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
    path("", include("notifications.urls")),
    path("", include("dashboards.urls")),
    path("", include("reporting.urls")),
    path("", include("tasks.urls")),
]

# MEDIA_ROOT is deliberately not served, not even in development: evidence files are downloaded only through
# reporting:evidence_download, which checks that the user may read the assignment.
