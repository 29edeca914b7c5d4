from django.urls import path

from . import report_views, views

app_name = "tasks"

urlpatterns = [
    path("", views.home, name="home"),
    path("tong-hop/", views.dashboard, name="dashboard"),
    path("giao-viec/", views.assignment_list, name="assignment_list"),
    path("giao-viec/tai-ve.<str:fmt>", views.assignment_list, name="assignment_export"),
    path("giao-viec/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("nhiem-vu/", views.task_list, name="task_list"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("ma-tran-phuong/", views.ward_matrix, name="ward_matrix"),
    path("ma-tran-phuong/tai-ve.<str:fmt>", views.ward_matrix, name="ward_matrix_export"),
    path("bao-cao-ky/", views.period_report, name="period_report"),
    path("bao-cao-ky/tai-ve.<str:fmt>", views.period_report, name="period_report_export"),
    path("don-vi/", views.department_list, name="department_list"),
    path("don-vi/<str:kind>/<str:code>/", views.unit_detail, name="unit_detail"),
    # Write side (issue 4): reports, reviews, extensions, evidence, a district's wards board.
    path("giao-viec/<int:pk>/bao-cao/", report_views.progress_create, name="progress_create"),
    path("giao-viec/<int:pk>/gia-han/", report_views.extension_create, name="extension_create"),
    path("bao-cao/<int:pk>/xem-xet/", report_views.report_review, name="report_review"),
    path("bao-cao/cho-xem-xet/", report_views.review_queue, name="review_queue"),
    path("bao-cao/xac-nhan/", report_views.reports_confirm, name="reports_confirm"),
    path("gia-han/<int:pk>/quyet-dinh/", report_views.extension_decide, name="extension_decide"),
    path("tai-lieu/<int:pk>/", report_views.evidence_download, name="evidence_download"),
    path("quan/<str:code>/cac-phuong/", report_views.district_board, name="district_board"),
]
