"""站点关闭 (maintenance mode): while ``SiteSettings.site_closed`` is on, every page answers
503 with ``closed_message``, except for staff (:func:`luntan.permissions.passes_site_closed`:
administrators and moderators) and the pages they need to get in (log-in, log-out,
password reset, the language switch, Django's admin, static files).

Discuz! X3.4: ``bbclosed`` with ``closedreason``; admins and moderators still enter.
"""

from __future__ import annotations

from django.shortcuts import render

from luntan import permissions
from luntan.core.models import get_site_settings

#: Path prefixes that stay open while the site is closed (so staff can log in).
OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password/reset/",
    "/i18n/",
    "/admin/",
    "/static/",
    "/favicon.ico",
    "/healthz",
    "/metrics",
)


class SiteClosedMiddleware:
    """Answer 503 (``Retry-After: 3600``) with the closed page while the site is closed.
    Needs ``request.viewer`` (after ``ViewerMiddleware``). No query when the settings are
    cached and the site is open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = get_site_settings()
        if (
            site.site_closed
            and not request.path.startswith(OPEN_PREFIXES)
            and not permissions.passes_site_closed(request.viewer)
        ):
            response = render(
                request, "admincenter/closed.html", {"message": site.closed_message}, status=503
            )
            response["Retry-After"] = "3600"
            return response
        return self.get_response(request)
