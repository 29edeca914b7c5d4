from django import forms

from .models import User


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["reminder_digest_opt_out", "notification_email_opt_out"]
