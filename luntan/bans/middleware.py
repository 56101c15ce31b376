"""Enforce bans on every request (after ``ViewerMiddleware``, which sets ``request.viewer``).

- IP bans (:func:`luntan.bans.ipbans.is_ip_banned`, cached, no query): requests that
  write (any method but GET/HEAD/OPTIONS/TRACE: posting, registration, log in) from a
  banned address get a 403 page; with ``LUNTAN_IP_BANS_BLOCK_VISITING`` on (as Discuz!
  does) every request does. Administrators are let through so they can undo a mistake.
- Banned members: a member in 禁止发言/禁止访问 whose ban expired is put back (one query,
  banned members only); a member whose group may not visit (禁止访问, 禁止 IP) is logged
  out at once — their session stops working on the very next request — and sees why.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan import permissions
from luntan.accounts.groups import BANNED_GROUPS
from luntan.bans.ipbans import is_ip_banned
from luntan.bans.services import active_ban, lift_expired_ban
from luntan.core.models import site_time_zone
from luntan.permissions.middleware import build_viewer

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _zone_of(user):
    """The member's time zone (IANA name), else the site's (GMT+8 by default)."""
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(user.time_zone) if user.time_zone else site_time_zone()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return site_time_zone()


class BanMiddleware:
    """See the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        block_visits = getattr(settings, "LUNTAN_IP_BANS_BLOCK_VISITING", False)
        if (block_visits or request.method not in SAFE_METHODS) and is_ip_banned(
            request.META.get("REMOTE_ADDR")
        ):
            if not permissions.passes_ip_bans(request.viewer):
                return render(
                    request,
                    "bans/refused.html",
                    {"reason": _("抱歉，您的 IP 地址不被允许访问或发表内容。")},
                    status=403,
                )
        user = request.user
        if user.is_authenticated and user.group_id in BANNED_GROUPS:
            if lift_expired_ban(user):  # back in their group: the viewer is built anew
                # (keeping the boards and password posts unlocked in the session)
                request.viewer = build_viewer(request)
            if not user.is_superuser and not permissions.viewer_rights(user).allow_visit:
                ban = active_ban(user)
                zone = _zone_of(user)  # the end date in the member's zone
                logout(request)
                with timezone.override(zone):
                    return render(
                        request,
                        "bans/refused.html",
                        {"reason": _("抱歉，您的账号已被禁止访问。"), "ban": ban},
                        status=403,
                    )
        return self.get_response(request)
