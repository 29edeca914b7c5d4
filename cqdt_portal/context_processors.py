"""What every page's navigation shows for the person signed in: Việc của tôi with what waits there, and the
unread notifications. One query, run only when a page renders the navigation (SimpleLazyObject)."""

from django.utils.functional import SimpleLazyObject

from reporting.selectors import nav_counts


def waiting(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": SimpleLazyObject(lambda: nav_counts(user))}
