"""Sudo mode of the 管理中心: the password is asked again after a period.

The time of the last confirmation (UNIX seconds, UTC) is kept in the session under
:data:`SESSION_KEY`; :func:`is_fresh` is true for ``settings.LUNTAN_ADMIN_SUDO_SECONDS``
(default 1800, 30 minutes) after it. GitHub's "sudo mode" and Discourse's admin
re-confirmation work the same way.
"""

from __future__ import annotations

import time

from django.conf import settings

SESSION_KEY = "admincenter:sudo_at"


def window_seconds() -> int:
    """How long (seconds) one password confirmation lasts."""
    return int(getattr(settings, "LUNTAN_ADMIN_SUDO_SECONDS", 1800))


def is_fresh(request, *, now: float | None = None) -> bool:
    """True when the session's member confirmed their password less than
    :func:`window_seconds` ago."""
    at = request.session.get(SESSION_KEY)
    if not isinstance(at, int | float):
        return False
    now = time.time() if now is None else now
    return 0 <= now - at < window_seconds()


def confirm(request, password: str) -> bool:
    """Check ``password`` against the signed-in member's; on success start the sudo window
    (the session is written, nothing else) and return True."""
    user = request.user
    if not user.is_authenticated or not password or not user.check_password(password):
        return False
    request.session[SESSION_KEY] = int(time.time())
    return True
