"""站点关闭 (maintenance mode): while ``SiteSettings.site_closed`` is on, every page answers
503 with ``closed_message``, except for staff (:func:`luntan.permissions.passes_site_closed`:
administrators and moderators) and the pages they need to get in (log-in, log-out,
password reset, the language switch, Django's admin, static files).

Discuz! X3.4: ``bbclosed`` with ``closedreason``; admins and moderators still enter.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from luntan import permissions
from luntan.accounts.mfa import NEXT_SESSION_KEY
from luntan.core.models import get_site_settings

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
#: (``/admin-settings/``) and Django's admin (superusers). The APIs check the policy in
#: their moderation endpoints (:func:`luntan.permissions.must_set_up_mfa`).
STAFF_PREFIXES = ("/admin-center/", "/mod/", "/admin/", "/bans/", "/censor/", "/admin-settings/")
_REPORT_PATH = re.compile(r"^/mod/p/[0-9]+/report/$")
_BAN_MEMBER_PATH = re.compile(r"^/u/[0-9]+/ban/$")


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
                or _BAN_MEMBER_PATH.match(path)
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
