"""Error pages in the site layout (filled in by the pages work)."""

from django.views import defaults


def bad_request(request, exception=None):
    return defaults.bad_request(request, exception)


def page_not_found(request, exception=None):
    return defaults.page_not_found(request, exception)


def server_error(request):
    return defaults.server_error(request)
