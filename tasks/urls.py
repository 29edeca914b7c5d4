from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("giao-viec/", views.assignment_list, name="assignment_list"),
    path("giao-viec/tai-ve.<str:fmt>", views.assignment_list, name="assignment_export"),
    path("nhiem-vu/", views.task_list, name="task_list"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("van-ban/", views.document_list, name="document_list"),
    path("van-ban/<int:pk>/", views.document_detail, name="document_detail"),
    path("dia-ban/", views.district_list, name="district_list"),
    path("dia-ban/<str:code>/", views.district_detail, name="district_detail"),
    path("don-vi/", views.department_list, name="department_list"),
    path("don-vi/<str:kind>/<str:code>/", views.unit_detail, name="unit_detail"),
    path("quan/<str:code>/cac-phuong/", views.district_board, name="district_board"),
]
