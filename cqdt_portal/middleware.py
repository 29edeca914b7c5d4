from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Pages send anonymous visitors to the login page; the API answers them itself (401/403 in JSON,
    through REST framework's authentication), since a redirect to an HTML form helps no API client."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(settings.API_PREFIX):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RequestLimitsMiddleware:
    """Refuses, before anything reads the body (the CSRF check included), a request larger than the portal ever
        needs: REQUEST_MAX_BYTES signed in (the evidence files of one report, an import), ANONYMOUS_REQUEST_MAX_BYTES
        otherwise (the login form). A NUL character in the address is never a code or a filter value (and PostgreSQL
        refuses it in a query): a path with one is not found, a query parameter with one is dropped from a page and
    refused by the API. Placed after
        AuthenticationMiddleware, which reads only the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("NUL character in the address")  # no code or page has one
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            if request.path_info.startswith(settings.API_PREFIX):
                # A script is told, as for any refused filter value (400, the schema's FieldErrors).
                refused = [
                    key.replace("\x00", "")
                    for key, values in request.GET.lists()
                    if "\x00" in key + "".join(values)
                ]
                return JsonResponse({key: ["Không được chứa ký tự NUL."] for key in refused}, status=400)
            # No filter takes one and the database refuses them: such a parameter is dropped, as unknown ones are.
            kept = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                if "\x00" not in key:
                    kept.setlist(key, [v for v in values if "\x00" not in v])
            kept._mutable = False
            request.GET = kept
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        signed_in = request.user.is_authenticated
        limit = settings.REQUEST_MAX_BYTES if signed_in else settings.ANONYMOUS_REQUEST_MAX_BYTES
        if length > limit:
            request.META["CONTENT_LENGTH"] = "0"  # nothing downstream reads the refused body
            context = {
                "limit": limit,
                "evidence_max": settings.EVIDENCE_MAX_BYTES,
                "evidence_files": settings.EVIDENCE_MAX_FILES,
            }
            return render(request, "413.html", context, status=413)
        response = self.get_response(request)
        # A signed-in page is for that person only: no browser or proxy keeps a copy (back button on a shared
        # computer, a cache in front).
        if signed_in and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response
