from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "CQĐT Portal — Quản trị"
admin.site.site_title = "CQĐT Portal"
admin.site.index_title = "Quản trị dữ liệu"

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
    path("api/", include("cqdt_portal.api_urls")),
    path("tai-khoan/", include("accounts.urls")),
    path("", include("dashboards.urls")),
    path("", include("reporting.urls")),
    path("", include("tasks.urls")),
]

# MEDIA_ROOT is deliberately not served, not even in development: evidence files are downloaded only through
# reporting:evidence_download, which checks that the user may read the assignment.
