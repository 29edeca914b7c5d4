"""Failed logins: when a user name from an address, or an address trying many names, must wait.

django-axes counts failures per user name and address together (settings.AXES_LOCKOUT_PARAMETERS), so a stranger
cannot lock an official out from elsewhere, and a successful login clears only that pair's own count. This
handler adds one rule axes cannot express with a single limit: an address that fails for many different names
(password spraying) is locked too, at a higher limit, so that an office behind one shared address is not locked
out by a few typing mistakes.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LoginLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        own = super().get_failures(request, credentials)
        address = request.axes_ip_address
        if address is None:
            return own
        from_address = (
            AccessAttempt.objects.filter(
                ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if from_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(own, get_failure_limit(request, credentials))
        return own
