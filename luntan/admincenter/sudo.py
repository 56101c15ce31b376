"""Sudo mode of the 管理中心: the password is asked again after a period.

The time of the last confirmation (UNIX seconds, UTC) is kept in the session under
:data:`SESSION_KEY`; :func:`is_fresh` is true for ``settings.LUNTAN_ADMIN_SUDO_SECONDS``
(default 1800, 30 minutes) after it. GitHub's "sudo mode" and Discourse's admin
re-confirmation work the same way.

Members with two-factor sign-in may confirm with it instead of the password: the
confirmation page links to django-allauth's reauthentication pages (a code of the
authenticator app or a recovery code, ``mfa_reauthenticate``; a passkey,
``mfa_reauthenticate_webauthn``), and an allauth reauthentication of this session (any
method, recorded by allauth with ``reauthenticated``) counts as a confirmation for the
same window.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import get_authentication_records
from django.conf import settings

SESSION_KEY = "admincenter:sudo_at"


def window_seconds() -> int:
    """How long (seconds) one password confirmation lasts."""
    return int(getattr(settings, "LUNTAN_ADMIN_SUDO_SECONDS", 1800))


def is_fresh(request, *, now: float | None = None) -> bool:
    """True when the session's member confirmed their password less than
    :func:`window_seconds` ago."""
    now = time.time() if now is None else now
    at = request.session.get(SESSION_KEY)
    if isinstance(at, int | float) and 0 <= now - at < window_seconds():
        return True
    at = last_reauthentication(request)
    return at is not None and 0 <= now - at < window_seconds()


def last_reauthentication(request) -> float | None:
    """When (UNIX seconds) the signed-in member last reauthenticated through allauth in
    this session (password, authenticator code, recovery code or passkey); ``None`` if
    never. Reads the session only."""
    if not request.user.is_authenticated:
        return None
    times = [
        r["at"]
        for r in get_authentication_records(request, request.user)
        if r.get("reauthenticated") and isinstance(r.get("at"), int | float)
    ]
    return max(times) if times else None


def other_methods(request, next_url: str) -> list[dict]:
    """The ways besides the password to confirm (allauth's reauthentication methods of
    the member: ``[{"id", "description", "url"}]``, ``url`` with ``next=next_url``):
    an authenticator code or recovery code, a passkey. Empty without two-factor sign-in
    (at most one query per authenticator type)."""
    query = urlencode({"next": next_url})
    return [
        {**m, "url": f"{m['url']}?{query}"}
        for m in get_adapter().get_reauthentication_methods(request.user)
        if m["id"].startswith("mfa_")
    ]


def confirm(request, password: str) -> bool:
    """Check ``password`` against the signed-in member's; on success start the sudo window
    (the session is written, nothing else) and return True."""
    user = request.user
    if not user.is_authenticated or not password or not user.check_password(password):
        return False
    request.session[SESSION_KEY] = int(time.time())
    return True
