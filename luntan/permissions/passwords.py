"""Board passwords (版块密码, Discuz! ``forum_forumfield.password``).

A board with a password shows its threads only after the viewer typed the password once
in this session. The board row stores the password hashed (Django's password hashers, as
for member passwords); the session stores, per unlocked board, a fingerprint of that
hash, so changing the password locks every session out again.

:class:`luntan.permissions.middleware.ViewerMiddleware` reads the session's unlocked
boards into ``request.viewer.unlocked_boards`` (a dict ``{board id (str): fingerprint}``)
for the permission functions, which take the viewer, not a request.
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.utils.crypto import salted_hmac

from luntan.boards.models import Board

SESSION_KEY = "luntan_board_passwords"


def set_board_password(board: Board, raw: str) -> None:
    """Set (``raw`` non-empty) or remove (empty) ``board``'s access password and save it."""
    board.password = make_password(raw) if raw else ""
    board.save(update_fields=["password"])


def fingerprint(board: Board) -> str:
    """A short keyed digest of the board's stored password hash ("" without a password)."""
    if not board.password:
        return ""
    return salted_hmac("luntan.board-password", board.password).hexdigest()[:20]


def unlocked_boards(viewer) -> dict:
    """``{board id (str): fingerprint}`` a :class:`~luntan.permissions.viewer.Viewer`
    unlocked this session (empty for anything else, e.g. a bare ``User``)."""
    return getattr(viewer, "unlocked_boards", None) or {}


def is_unlocked(viewer, board: Board) -> bool:
    """True when ``board`` has no password or the viewer unlocked its current password."""
    if not board.password:
        return True
    return unlocked_boards(viewer).get(str(board.pk)) == fingerprint(board)


def unlock(request, board: Board, raw: str) -> bool:
    """Check ``raw`` against ``board``'s password; on success remember it in the session
    (and on ``request.viewer``) and return True. Slow on purpose (a password hash)."""
    if not board.password or not check_password(raw, board.password):
        return False
    unlocked = dict(request.session.get(SESSION_KEY) or {})
    unlocked[str(board.pk)] = fingerprint(board)
    request.session[SESSION_KEY] = unlocked
    viewer = getattr(request, "viewer", None)
    if viewer is not None:
        viewer.unlocked_boards = unlocked
    return True
