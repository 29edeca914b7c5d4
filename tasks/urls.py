from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.home, name="home"),
    path("nhiem-vu/", views.task_list, name="task_list"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("giao-viec/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("don-vi/", views.department_list, name="department_list"),
    path("don-vi/<str:kind>/<str:code>/", views.unit_detail, name="unit_detail"),
]
