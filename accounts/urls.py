from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("thong-bao/", views.notification_settings, name="notification_settings"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
]
