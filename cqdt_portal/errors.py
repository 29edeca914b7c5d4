"""Error answers: the Vietnamese pages (templates/400.html, 403.html, 404.html, 500.html) for people, and JSON under
the API's prefix, where a client reads {"detail": …} as REST framework's own errors say it."""

from django.conf import settings
from django.http import JsonResponse
from django.views import defaults


def _api(request) -> bool:
    return request.path_info.startswith(settings.API_PREFIX)


def bad_request(request, exception):
    if _api(request):
        return JsonResponse({"detail": "Yêu cầu không hợp lệ."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _api(request):
        return JsonResponse({"detail": "Không có quyền thực hiện."}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _api(request):
        return JsonResponse({"detail": "Không tìm thấy."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return JsonResponse({"detail": "Lỗi hệ thống."}, status=500)
    return defaults.server_error(request)
