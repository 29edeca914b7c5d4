from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Pages send anonymous visitors to the login page; the API answers them itself (401/403 in JSON,
    through REST framework's authentication), since a redirect to an HTML form helps no API client."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(settings.API_PREFIX):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
