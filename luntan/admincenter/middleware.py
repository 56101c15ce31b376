"""站点关闭 (maintenance mode): while ``SiteSettings.site_closed`` is on, every page answers
503 with ``closed_message``, except for staff (:func:`luntan.permissions.passes_site_closed`:
administrators and moderators) and the pages they need to get in (log-in, log-out,
password reset, the language switch, Django's admin, static files).

Discuz! X3.4: ``bbclosed`` with ``closedreason``; admins and moderators still enter.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.contrib import messages
from django.db import connections
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luntan import permissions
from luntan.accounts.mfa import NEXT_SESSION_KEY
from luntan.bans.ipbans import is_ip_banned
from luntan.core.middleware import _QueryCounter
from luntan.core.models import get_site_settings, site_time_zone
from luntan.online.services import touch, visitor_key
from luntan.pagecache.cache import MISSED, cacheable_request, page_key, serve_hit

#: Path prefixes that stay open while the site is closed (so staff can log in).
OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password/reset/",
    "/accounts/2fa/authenticate/",
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


#: Staff pages the two-factor policy guards: the 管理中心, the moderation pages (``/mod/``,
#: except reporting a post, 每个会员都可以举报), 小黑屋 and IP bans (``/bans/``, banning a
#: member ``/u/<id>/ban/``), 词语过滤 (``/censor/``), the site settings page
#: (``/admin-settings/``), a reported private message (``/pm/message/<id>/reported/``)
#: and Django's admin (superusers). The APIs check the policy in
#: their moderation endpoints (:func:`luntan.permissions.must_set_up_mfa`).
STAFF_PREFIXES = ("/admin-center/", "/mod/", "/admin/", "/bans/", "/censor/", "/admin-settings/")
_REPORT_PATH = re.compile(r"^/mod/p/[0-9]+/report/$")
_STAFF_PATHS = re.compile(r"^/u/[0-9]+/ban/$|^/pm/message/[0-9]+/reported/$")


class StaffMFAMiddleware:
    """管理人员必须启用两步验证: while ``SiteSettings.require_staff_mfa`` is on, a staff
    member without a second factor (:func:`luntan.permissions.must_set_up_mfa`) who opens
    a 管理中心 or moderation page is redirected to 设置 › 两步验证 (``mfa_index``) with a
    message saying why; the page asked for (a GET) is kept in the session under
    :data:`luntan.accounts.mfa.NEXT_SESSION_KEY` and offered as a link once a second factor is set up.
    Needs ``request.viewer`` and the messages middleware before it. Other pages: no
    query (a path test); staff pages: none while the setting is off, one when it is on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if (
            (
                (path.startswith(STAFF_PREFIXES) and not _REPORT_PATH.match(path))
                or _STAFF_PATHS.match(path)
            )
            and request.user.is_authenticated
            and permissions.must_set_up_mfa(request.viewer)
        ):
            messages.warning(
                request,
                _("本站要求管理人员启用两步验证。请先设置验证器应用或通行密钥，再进入管理页面。"),
            )
            if request.method == "GET":
                request.session[NEXT_SESSION_KEY] = request.get_full_path()
            return HttpResponseRedirect(reverse("mfa_index"))
        return self.get_response(request)


class EarlyGuestPageMiddleware:
    """Answer a plain guest's cached index, board or thread page before the rest of the
    middleware chain (issue 15: a hit used to pass ~20 middlewares first).

    Sits right after ``RequestIdMiddleware``, ``ForwardedForMiddleware`` and
    ``OpsMiddleware`` (so the response carries ``X-Request-ID``, ``REMOTE_ADDR`` is the
    client and the request is measured). It only serves hits: a request that
    :func:`luntan.pagecache.cache.cacheable_request` refuses, that sends an
    ``Authorization`` header, that a later middleware would answer otherwise (a bad host or
    user agent or a redirect in ``CommonMiddleware``, the HTTPS redirect, 站点关闭, an IP
    ban with ``LUNTAN_IP_BANS_BLOCK_VISITING`` on) or whose page is not cached goes
    through the whole chain as before. A hit gets what the chain would give a guest: the
    language of the language cookie and the site's time zone (both part of the cache
    key), the CSRF cookie when the token is new, the security and ``X-Frame-Options``
    headers, ``Content-Language`` and ``Vary: Cookie``, the footer's stats line, the
    visitor counted online (:func:`luntan.online.services.touch`) and, on a thread page,
    the view counted (in :func:`luntan.pagecache.cache.serve_hit`).

    Lives in ``admincenter`` because it applies the rules of apps below it (bans,
    online, page cache, the site-closed setting)."""

    def __init__(self, get_response):
        from django.middleware.clickjacking import XFrameOptionsMiddleware
        from django.middleware.common import CommonMiddleware
        from django.middleware.csrf import CsrfViewMiddleware
        from django.middleware.security import SecurityMiddleware

        self.get_response = get_response
        self.common = CommonMiddleware(get_response)
        self.security = SecurityMiddleware(get_response)
        self.csrf = CsrfViewMiddleware(get_response)
        self.xframe = XFrameOptionsMiddleware(get_response)
        self.languages = {code for code, _name in settings.LANGUAGES}

    def _blocked(self, request) -> bool:
        """Whether a middleware of the full chain would answer ``request`` itself."""
        try:
            if self.common.process_request(request) is not None:
                return True
        except Exception:  # noqa: BLE001 - DisallowedHost, PermissionDenied: the chain says so
            return True
        if self.security.process_request(request) is not None:
            return True
        if get_site_settings().site_closed:
            return True
        return getattr(settings, "LUNTAN_IP_BANS_BLOCK_VISITING", False) and is_ip_banned(
            request.META.get("REMOTE_ADDR")
        )

    def __call__(self, request):
        match = cacheable_request(request)
        if match is None or "HTTP_AUTHORIZATION" in request.META or self._blocked(request):
            return self.get_response(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        timezone.activate(site_time_zone())
        counter = _QueryCounter()
        request._luntan_stats = (time.perf_counter(), counter)
        self.csrf.process_request(request)
        debug_headers = getattr(settings, "LUNTAN_DEBUG_HEADERS", False)
        if debug_headers:  # X-Queries counts what the hit ran, as RequestStatsMiddleware does
            with connections["default"].execute_wrapper(counter):
                hit = serve_hit(request, match, page_key(request), early=True)
        else:
            hit = serve_hit(request, match, page_key(request), early=True)
        if hit is None:
            setattr(request, MISSED, True)
            return self.get_response(request)
        if request.method == "GET":
            touch(visitor_key(None, request.META.get("REMOTE_ADDR")), "")
        # Each of these changes ``hit`` in place (the CSRF cookie, the security headers).
        self.csrf.process_response(request, hit)
        hit.headers.setdefault("Content-Language", language)
        self.xframe.process_response(request, hit)
        self.security.process_response(request, hit)
        if debug_headers:
            hit["X-Queries"] = str(counter.count)
        return hit
