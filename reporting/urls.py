from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("viec-cua-toi/", views.worklist, name="worklist"),
    path("giao-viec/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("giao-viec/<int:pk>/bao-cao/", views.progress_create, name="progress_create"),
    path("giao-viec/<int:pk>/gia-han/", views.extension_create, name="extension_create"),
    path("bao-cao/<int:pk>/xem-xet/", views.report_review, name="report_review"),
    path("bao-cao/cho-xem-xet/", views.review_queue, name="review_queue"),
    path("bao-cao/xac-nhan/", views.reports_confirm, name="reports_confirm"),
    path("gia-han/<int:pk>/quyet-dinh/", views.extension_decide, name="extension_decide"),
    path("tai-lieu/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("don-doc/", views.chase, name="chase"),
]
