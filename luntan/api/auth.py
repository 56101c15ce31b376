"""Who is calling the API: a personal access token, the browser session, or a guest.

Each endpoint lists the ways it accepts (ninja ``auth=``), tried in this order:

- :class:`BearerToken` — ``Authorization: Bearer lt_…`` (a personal access token of
  :mod:`luntan.accounts.tokens`). A header that is present but wrong is a 401 problem at
  once (``invalid_token``); a member in a banned group (禁止发言, 禁止访问, 禁止 IP) gets
  a 403 problem ``banned`` with the ban's reason and end, so a ban cuts every token at
  its next request; a locked account is ``invalid_token``. No CSRF check (no cookie).
- :class:`SessionCookie` — the browser session (Django's session cookie), with Django's
  CSRF check (``X-CSRFToken``) for unsafe methods (403 problem ``csrf_failed``).
- :func:`guest` — nobody signed in: read endpoints answer as for a guest.

The winner is ``request.auth``, a :class:`Caller`; ``request.user`` and
``request.viewer`` are set to the token's member, so every permission function of
:mod:`luntan.permissions` sees the same viewer a page would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from luntan.accounts import tokens
from luntan.accounts.groups import BANNED_GROUPS
from luntan.accounts.models import User
from luntan.api.problems import Problem
from luntan.bans.services import active_ban, lift_expired_ban
from luntan.permissions import Viewer
from luntan.permissions.middleware import attach_viewer
from luntan.permissions.viewer import ViewerRequest

ALL_SCOPES = frozenset({"read", "write", "moderate"})


@dataclass
class Caller:
    """The authenticated caller: ``user`` (a member or ``AnonymousUser``), ``via``
    (``"token"``, ``"session"`` or ``"guest"``), ``scopes`` (a session has them all) and
    ``token_id`` (the token's id, for rate limits)."""

    user: Any
    via: str
    scopes: frozenset[str]
    token_id: int | None = None

    def __bool__(self) -> bool:  # ninja keeps the first truthy answer
        return True

    @property
    def rate_key(self) -> str:
        """Who a rate limit counts: the token, the member, or ``""`` for a guest."""
        if self.token_id is not None:
            return f"t{self.token_id}"
        if self.user.is_authenticated:
            return f"u{self.user.pk}"
        return ""


def _ban_detail(user) -> str:
    """The refusal sentence for a banned member: reason and end (in the active zone)."""

    if lift_expired_ban(user):
        return ""
    ban = active_ban(user)
    if ban is None:
        return _("您的账号已被禁止。")
    if ban.expires_at is None:
        end = _("永久")
    else:
        t = timezone.localtime(ban.expires_at)
        end = f"{t.year}-{t.month}-{t.day} {t.hour:02d}:{t.minute:02d}"
    return _("您的账号已被禁止，令牌不能使用。理由：%(reason)s　到期时间：%(end)s") % {
        "reason": ban.reason or _("未填写"),
        "end": end,
    }


class BearerToken(HttpBearer):
    """``Authorization: Bearer <personal access token>`` (see the module docstring)."""

    def __call__(self, request: HttpRequest) -> Caller | None:
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != "bearer":
            raise Problem(401, "invalid_token", _("只支持 Bearer 令牌。"))
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        found = tokens.find_token(token)
        if found is None or not found.user.is_active:
            raise Problem(
                401,
                "invalid_token",
                _("令牌无效或已被撤销。"),
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        user = found.user
        if user.group_id in BANNED_GROUPS:
            detail = _ban_detail(user)
            if detail:
                raise Problem(403, "banned", detail)
        tokens.touch_token(found)
        request.user = user
        attach_viewer(request, Viewer(user, ip=request.META.get("REMOTE_ADDR")))
        return Caller(user, "token", found.scope_set, token_id=found.pk)


class SessionCookie(APIKeyCookie):
    """The browser session, CSRF-checked for unsafe methods (see the module docstring)."""

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = getattr(request, "user", None)
        if not key or user is None or not user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and check_csrf(request):
            raise Problem(403, "csrf_failed", _("CSRF 验证失败，请刷新页面后重试。"))
        return Caller(user, "session", ALL_SCOPES)


def guest(request: HttpRequest) -> Caller:
    """Nobody signed in (or a session cookie of nobody): a guest caller."""
    return Caller(AnonymousUser(), "guest", frozenset({"read"}))


bearer = BearerToken()
session = SessionCookie()
#: Read endpoints: a token, the session or a guest.
READ_AUTH: list[Callable[..., Any]] = [bearer, session, guest]
#: Endpoints of members only (writes, "me"): a token or the session; else 401.
MEMBER_AUTH: list[Callable[..., Any]] = [bearer, session]


class ApiRequest(ViewerRequest):
    """The type of an API endpoint's ``request`` (for annotations): ninja has put the
    winning :class:`Caller` on ``request.auth`` (every endpoint has ``auth``: a guest
    caller at least), and ``request.viewer`` is the caller's."""

    auth: Caller


class MemberApiRequest(ApiRequest):
    """The ``request`` of an endpoint behind :data:`MEMBER_AUTH` (a token or the session;
    401 otherwise): ``request.user`` is the caller's member (an annotation only)."""

    user: User


def require_scope(request: ApiRequest, scope: str) -> Caller:
    """The caller of ``request`` when it holds ``scope``; raises a 403 problem
    ``insufficient_scope`` otherwise (a token created without it)."""
    caller = request.auth
    if scope not in caller.scopes:
        raise Problem(
            403,
            "insufficient_scope",
            _("该令牌没有“%(scope)s”权限。") % {"scope": scope},
            headers={"WWW-Authenticate": f'Bearer error="insufficient_scope" scope="{scope}"'},
        )
    return caller
