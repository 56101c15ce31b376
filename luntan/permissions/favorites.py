"""Who may favourite (收藏) or follow (订阅) a thread or a board (re-exported by
:mod:`luntan.permissions`).

A signed-in, active member may favourite and follow what they may read: a thread they
may read (:func:`check_view_thread`, read level included), a board they may see and
read (:func:`check_read_board`). Discuz! X3.4 (``home/spacecp_favorite.php``) asks the
same: a member, and the thread or forum must be viewable. Lists of favourites show only
what the viewer may still read (:func:`luntan.permissions.filter_threads_queryset`,
:func:`luntan.permissions.filter_boards_queryset`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from luntan.boards.models import Board
from luntan.permissions.boards import check_read_board
from luntan.permissions.threads import check_view_thread
from luntan.permissions.viewer import ViewerLike, as_viewer


def _member(viewer: ViewerLike):
    v = as_viewer(viewer)
    if not v.is_authenticated:
        raise PermissionDenied(_("您需要登录后才可以收藏。"))
    if not v.is_active:
        raise PermissionDenied(_("您的账号已被锁定。"))
    return v


def check_favorite_thread(viewer: ViewerLike, thread: Any) -> None:
    """Raise unless the viewer may favourite or follow ``thread``: ``PermissionDenied``
    for guests and locked accounts, else what :func:`check_view_thread` raises
    (``Http404`` for a thread they can't see)."""
    v = _member(viewer)
    check_view_thread(v, thread)


def check_favorite_board(viewer: ViewerLike, board: Board) -> None:
    """Raise unless the viewer may favourite or follow ``board`` (as
    :func:`check_favorite_thread`, with :func:`check_read_board`)."""
    v = _member(viewer)
    check_read_board(v, board)
