from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import NotificationSettingsForm


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """The signed-in user's own choice about the daily reminder digest (LoginRequiredMiddleware guards it)."""
    # Not `request.POST or None`: unticking the only checkbox posts an empty form, which must still save.
    data = request.POST if request.method == "POST" else None
    form = NotificationSettingsForm(data, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu cài đặt thông báo."))
        return redirect("accounts:notification_settings")
    return render(request, "accounts/notification_settings.html", {"form": form})
