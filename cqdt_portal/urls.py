from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

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

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
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
    path("", include("dashboards.urls")),
    path("", include("reporting.urls")),
    path("", include("tasks.urls")),
]

# MEDIA_ROOT is deliberately not served, not even in development: evidence files are downloaded only through
# reporting:evidence_download, which checks that the user may read the assignment.
