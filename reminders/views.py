"""The reminders' one page: the units nobody can be mailed at, for admins. An assignment's reminders show in
its timeline (reporting/selectors.py)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from .selectors import units_nobody_receives


def units_without_recipient(request):
    """Đơn vị chưa có người nhận thư: work not done, and no active user with an e-mail to remind."""
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "reminders/units_without_recipient.html",
        {"units": units_nobody_receives(today=today), "today": today},
    )
