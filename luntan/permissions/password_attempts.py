"""A limit on password guessing (板块密码 ``/f/<id>/password/``, 密码帖
``/p/<id>/password/``).

Each wrong password counts against the guesser — the member, or a guest's IP address —
for ``settings.LUNTAN_PASSWORD_ATTEMPT_WINDOW`` seconds (counted from the first wrong
one, default 900). After ``settings.LUNTAN_PASSWORD_ATTEMPTS`` wrong passwords (default
5; 0 turns the limit off) the forms refuse every try, right or wrong, until the window
ends, so the password can't be guessed by trying on. Boards and posts count separately.
The counts live in the cache every worker shares (:func:`luntan.core.cache.shared_cache`;
``cache.add`` then ``cache.incr``, as :mod:`luntan.accounts.captcha` counts failed
logins); a successful try does not reset them. Discuz! X3.4 has no such limit for its forum and post passwords.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from luntan.core.cache import shared as cache  # one count for every worker

#: What is guessed at: a board's password or a password post's.
BOARD = "board"
POST = "post"


def _limit() -> int:
    return int(getattr(settings, "LUNTAN_PASSWORD_ATTEMPTS", 5))


def window_seconds() -> int:
    """The window in which wrong passwords are counted, in seconds."""
    return int(getattr(settings, "LUNTAN_PASSWORD_ATTEMPT_WINDOW", 900))


def _key(kind: str, viewer: Any) -> str | None:
    member = viewer.member
    if member is not None:
        return f"luntan:password-attempts:{kind}:u{member.pk}"
    if viewer.ip:
        return f"luntan:password-attempts:{kind}:ip{viewer.ip}"
    return None


def attempts_exhausted(kind: str, viewer: Any) -> bool:
    """True when ``viewer`` (a :class:`~luntan.permissions.viewer.Viewer`) has typed
    ``settings.LUNTAN_PASSWORD_ATTEMPTS`` wrong passwords of ``kind`` (:data:`BOARD` or
    :data:`POST`) within the window: the form must refuse to check another one."""
    limit = _limit()
    key = _key(kind, viewer)
    if limit <= 0 or key is None:
        return False
    return int(cache.get(key) or 0) >= limit


def too_many_message() -> str:
    """The (translated) message of a form refusing a try: wait so many minutes."""
    from django.utils.translation import gettext as _

    minutes = max(1, -(-window_seconds() // 60))
    return _("密码错误次数过多，请 %(minutes)d 分钟后再试。") % {"minutes": minutes}


def note_wrong_password(kind: str, viewer: Any) -> None:
    """Count one wrong password of ``kind`` typed by ``viewer``."""
    key = _key(kind, viewer)
    if key is None or _limit() <= 0:
        return
    window = window_seconds()
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)
