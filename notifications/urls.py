from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("thong-bao/", views.inbox, name="inbox"),
    path("thong-bao/<int:pk>/", views.notification_open, name="open"),
    path("thong-bao/da-doc/", views.read_all, name="read_all"),
]
