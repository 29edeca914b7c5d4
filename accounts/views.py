from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
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


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Every signed-in user changes their own password: the current one, then the new one twice, checked by the
    project's password rules (AUTH_PASSWORD_VALIDATORS). The session stays signed in; other sessions end."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Đã đổi mật khẩu. Lần đăng nhập sau dùng mật khẩu mới."))
        return redirect("accounts:password_change")
    return render(request, "accounts/password_change.html", {"form": form})
