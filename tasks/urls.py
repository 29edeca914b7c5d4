from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.home, name="home"),
    path("tong-hop/", views.dashboard, name="dashboard"),
    path("giao-viec/", views.assignment_list, name="assignment_list"),
    path("giao-viec/tai-ve.<str:fmt>", views.assignment_list, name="assignment_export"),
    path("nhiem-vu/", views.task_list, name="task_list"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("ma-tran-phuong/", views.ward_matrix, name="ward_matrix"),
    path("ma-tran-phuong/tai-ve.<str:fmt>", views.ward_matrix, name="ward_matrix_export"),
    path("bao-cao-ky/", views.period_report, name="period_report"),
    path("bao-cao-ky/tai-ve.<str:fmt>", views.period_report, name="period_report_export"),
    path("don-vi/", views.department_list, name="department_list"),
    path("don-vi/<str:kind>/<str:code>/", views.unit_detail, name="unit_detail"),
    path("quan/<str:code>/cac-phuong/", views.district_board, name="district_board"),
]
