"""The one place that answers "may this viewer see / do this?".

Plain functions in the style of Misago's ``misago/permissions`` and Discourse's guardian:
``can_*`` return a bool, ``check_*`` raise ``Http404`` (so a hidden thing is not revealed
to exist) and ``filter_*_queryset`` narrow listings and search. Views, the API and search
call these; nothing else decides visibility.

Rules so far (the credits/usergroups issue extends them with per-board, per-group
permissions):

- a hidden board (Discuz! ``forum_forum.status = 0``), or a board under a hidden board, is
  seen only by administrators (group 1, or superusers) and super moderators (group 2),
  as Discuz! X3.4 shows hidden forums only to them;
- threads are seen when their board is and they are in state NORMAL (recycled and
  pending threads are for moderators, who get their tools in a later issue);
- posts are seen when their thread is and they are VISIBLE (deleted posts keep their
  floor with a placeholder; that is the thread page's business, not search's).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from luntan.accounts.models import UserGroup
from luntan.boards.models import Board
from luntan.threads.models import Post, Thread

HIDDEN_BOARD_GROUPS = frozenset({UserGroup.ADMIN, UserGroup.SUPER_MODERATOR})


def sees_hidden_boards(user) -> bool:
    """True for administrators and super moderators (``user`` may be anonymous)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.group_id in HIDDEN_BOARD_GROUPS)


def _board_is_hidden(board: Board) -> bool:
    # The tree is at most three deep (category → board → sub-board).
    if board.is_hidden:
        return True
    parent = board.parent if board.parent_id else None
    if parent is None:
        return False
    if parent.is_hidden:
        return True
    grandparent = parent.parent if parent.parent_id else None
    return grandparent is not None and grandparent.is_hidden


def can_view_board(user, board: Board) -> bool:
    """May ``user`` see ``board`` (its page, its threads)? Reads ``board.parent`` chain,
    so load it with ``select_related("parent__parent")`` to avoid queries."""
    return not _board_is_hidden(board) or sees_hidden_boards(user)


def check_view_board(user, board: Board) -> None:
    """Raise ``Http404`` unless ``user`` may see ``board``."""
    if not can_view_board(user, board):
        raise Http404


def check_view_thread(user, thread: Thread) -> None:
    """Raise ``Http404`` unless ``user`` may read ``thread`` (state NORMAL, board visible).

    Load the thread with ``select_related("board__parent__parent")`` (and the
    ``is_hidden`` columns) to keep this query-free.
    """
    if thread.state != Thread.State.NORMAL:
        raise Http404
    check_view_board(user, thread.board)


def _hidden_board_q(prefix: str) -> Q:
    return (
        Q(**{f"{prefix}is_hidden": True})
        | Q(**{f"{prefix}parent__is_hidden": True})
        | Q(**{f"{prefix}parent__parent__is_hidden": True})
    )


def filter_boards_queryset(queryset: QuerySet[Board], user) -> QuerySet[Board]:
    """Narrow a :class:`Board` queryset to the boards ``user`` may see."""
    if sees_hidden_boards(user):
        return queryset
    return queryset.exclude(_hidden_board_q(""))


def filter_threads_queryset(queryset: QuerySet[Thread], user) -> QuerySet[Thread]:
    """Narrow a :class:`Thread` queryset to the threads ``user`` may read."""
    queryset = queryset.filter(state=Thread.State.NORMAL)
    if sees_hidden_boards(user):
        return queryset
    return queryset.exclude(_hidden_board_q("board__"))


def filter_posts_queryset(queryset: QuerySet[Post], user) -> QuerySet[Post]:
    """Narrow a :class:`Post` queryset to the visible posts of threads ``user`` may read."""
    queryset = queryset.filter(state=Post.State.VISIBLE, thread__state=Thread.State.NORMAL)
    if sees_hidden_boards(user):
        return queryset
    return queryset.exclude(_hidden_board_q("thread__board__"))


from luntan.permissions.posting import (  # noqa: E402
    can_reply,
    check_delete_post,
    check_edit_post,
    check_reply,
    check_start_thread,
    is_moderator,
    posting_refusal,
)

__all__ = [
    "can_reply",
    "can_view_board",
    "check_delete_post",
    "check_edit_post",
    "check_reply",
    "check_start_thread",
    "check_view_board",
    "check_view_thread",
    "filter_boards_queryset",
    "filter_posts_queryset",
    "filter_threads_queryset",
    "is_moderator",
    "posting_refusal",
    "sees_hidden_boards",
]
