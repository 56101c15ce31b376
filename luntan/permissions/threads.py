"""Who may read a thread and its posts, and thread read levels (re-exported by
:mod:`luntan.permissions`).

Thread read levels (阅读权限, Discuz! ``forum_thread.readperm``): a thread whose
``read_level`` is above the viewer's group ``read_access`` stays in lists, but its posts
are not shown (:class:`ThreadReadLevelDenied` from :func:`check_view_thread`), nor found
by search (:func:`filter_posts_queryset`), except to the thread's author and the board's
moderators, as Discuz!'s ``forum_viewthread.php`` exempts them.

This module does not import :mod:`luntan.threads` (it sits below it): state constants
come from the thread or queryset at hand (``thread.State``, ``queryset.model``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from luntan.accounts.groups import GroupId
from luntan.boards.models import Board
from luntan.permissions.boards import check_read_board, denied_board_ids
from luntan.permissions.groups import all_group_rights
from luntan.permissions.viewer import ViewerLike, as_viewer


class ThreadReadLevelDenied(PermissionDenied):
    """The thread's read level (``.thread.read_level``) is above the viewer's read access."""

    def __init__(self, thread: Any) -> None:
        super().__init__(_("本帖阅读权限为 %(n)d，您当前的阅读权限不够") % {"n": thread.read_level})
        self.thread = thread


def check_view_thread(viewer: ViewerLike, thread: Any) -> None:
    """Raise unless the viewer may read ``thread`` (a :class:`luntan.threads.models.
    Thread`; state NORMAL, board readable): ``Http404`` for a thread that is not NORMAL or
    a board not viewable, else as :func:`~luntan.permissions.boards.check_read_board`;
    :class:`ThreadReadLevelDenied` for a read level above the viewer's.

    Load the thread with ``select_related("board__parent__parent")`` (and the
    ``is_hidden``/``view_groups``/``password`` columns) to keep this query-free.
    """
    v = as_viewer(viewer)
    if thread.state != thread.State.NORMAL:
        raise Http404
    check_read_board(v, thread.board)
    if read_level_denies(v, thread):
        raise ThreadReadLevelDenied(thread)


def read_level_denies(viewer: ViewerLike, thread: Any) -> bool:
    """True when ``thread.read_level`` is above the viewer's group read access and the
    viewer is neither its author nor a moderator of its board (Discuz! ``readperm``). No
    query unless the level is above the viewer's access (then one for a board moderator)."""
    v = as_viewer(viewer)
    level = thread.read_level
    if not level or level <= v.rights.read_access:
        return False
    if not v.is_authenticated:
        return True
    if v.is_staff_moderator or (thread.author_id and thread.author_id == v.pk):
        return False
    return not v.moderates(thread.board)


def can_view_thread(viewer: ViewerLike, thread: Any) -> bool:
    """Bool form of :func:`check_view_thread`."""
    try:
        check_view_thread(viewer, thread)
    except (PermissionDenied, Http404):
        return False
    return True


def filter_threads_queryset(queryset: QuerySet, viewer: ViewerLike) -> QuerySet:
    """Narrow a ``Thread`` queryset to the threads the viewer may read (NORMAL, in a
    readable board; one query for the board list)."""
    queryset = queryset.filter(state=queryset.model.State.NORMAL)
    denied = denied_board_ids(viewer)
    return queryset.exclude(board_id__in=denied) if denied else queryset


def filter_posts_queryset(queryset: QuerySet, viewer: ViewerLike) -> QuerySet:
    """Narrow a ``Post`` queryset to the visible posts of threads the viewer may read
    (threads whose read level is above the viewer's read access left out, unless the
    viewer wrote the thread or moderates its board: :func:`read_level_denies`)."""
    v = as_viewer(viewer)
    post_model = queryset.model
    thread_model = post_model._meta.get_field("thread").related_model
    queryset = queryset.filter(
        state=post_model.State.VISIBLE, thread__state=thread_model.State.NORMAL
    )
    denied = denied_board_ids(v)
    if denied:
        queryset = queryset.exclude(thread__board_id__in=denied)
    if v.is_staff_moderator:
        return queryset
    allowed = Q(thread__read_level__lte=v.rights.read_access)
    if v.is_authenticated:
        allowed |= Q(thread__author_id=v.pk)
        allowed |= Q(thread__board_id__in=Board.objects.filter(moderators=v.member).values("pk"))
    return queryset.filter(allowed)


def can_set_read_level(viewer: ViewerLike, board: Board) -> bool:
    """May the viewer give a thread in ``board`` a read level (Discuz! ``allowsetreadperm``,
    on for 管理员/超级版主/版主 by default)? Administrators, super moderators, moderators
    (group 3) and the board's own moderators (one query per viewer for the last)."""
    v = as_viewer(viewer)
    if not v.is_authenticated:
        return False
    if v.is_staff_moderator or v.group_id == GroupId.MODERATOR:
        return True
    return v.moderates(board)


def read_level_choices(viewer: ViewerLike) -> list[int]:
    """The read levels the viewer may give a thread: 0 and every group's read access up to
    their own (Discuz!'s 阅读权限 select lists the groups' readaccess values). Cached."""
    own = as_viewer(viewer).rights.read_access
    levels = {r.read_access for r in all_group_rights().values() if 0 < r.read_access <= own}
    return [0, *sorted(levels)]
