from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("don-vi-chua-co-nguoi-nhan-thu/", views.units_without_recipient, name="units_nobody_receives"),
]
