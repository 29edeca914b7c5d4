from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("tong-hop/", views.dashboard, name="dashboard"),
    path("ma-tran-phuong/", views.ward_matrix, name="ward_matrix"),
    path("ma-tran-phuong/tai-ve.<str:fmt>", views.ward_matrix, name="ward_matrix_export"),
    path("bao-cao-ky/", views.period_report, name="period_report"),
    path("bao-cao-ky/tai-ve.<str:fmt>", views.period_report, name="period_report_export"),
]
