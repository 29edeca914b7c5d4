"""A person's inbox: their notifications, newest first; opening one marks it read and goes to what it is about."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services

PAGE_SIZE = 25


@require_GET
def inbox(request):
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "notifications": page.object_list})


@require_GET
def notification_open(request, pk):
    # Only one's own: another person's notification is a 404, as if it did not exist.
    notification = get_object_or_404(selectors.inbox(request.user), pk=pk)
    services.notification_read(notification=notification)
    if not url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect("notifications:inbox")
    return redirect(notification.link)


@require_POST
def read_all(request):
    n = services.notifications_read_all(user=request.user)
    messages.success(request, _("Đã đánh dấu %(n)d thông báo là đã đọc.") % {"n": n})
    return redirect("notifications:inbox")
