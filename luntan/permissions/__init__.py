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
- a board whose ``view_groups`` (Discuz! ``forumfield.viewperm``) is not empty is seen
  only by those groups (guests are group 7), and by administrators and super moderators;
- threads are seen when their board is and they are in state NORMAL (recycled and
  pending threads are for moderators, who get their tools in a later issue);
- posts are seen when their thread is and they are VISIBLE (deleted posts keep their
  floor with a placeholder; that is the thread page's business, not search's).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from luntan.accounts.models import UserGroup
from luntan.boards.models import Board
from luntan.threads.models import Post, Thread

HIDDEN_BOARD_GROUPS = frozenset({UserGroup.ADMIN, UserGroup.SUPER_MODERATOR})


def sees_hidden_boards(user) -> bool:
    """True for administrators and super moderators (``user`` may be anonymous): they see
    every board, hidden or restricted to other groups."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.group_id in HIDDEN_BOARD_GROUPS)


def viewer_group_id(user) -> int:
    """The usergroup id whose rights ``user`` has: 游客 (7) for a guest."""
    if user is None or not user.is_authenticated:
        return UserGroup.GUEST
    return user.group_id


def _node_denies(node: Board, group_id: int) -> bool:
    return bool(node.is_hidden or (node.view_groups and group_id not in node.view_groups))


def can_view_board(user, board: Board) -> bool:
    """May ``user`` see ``board`` (its page, its threads)?

    Denied when the board, its parent or its grandparent (the tree is at most three deep)
    is hidden or lists ``view_groups`` without the viewer's group. Reads ``board.parent``
    and ``board.parent.parent``: load them with ``select_related("parent__parent")``
    (with ``is_hidden`` and ``view_groups``) to keep this query-free.
    """
    if sees_hidden_boards(user):
        return True
    group_id = viewer_group_id(user)
    node: Board | None = board
    for depth in range(3):
        if node is None:
            return True
        if _node_denies(node, group_id):
            return False
        node = node.parent if depth < 2 and node.parent_id else None
    return True


def visible_boards(user, boards) -> list[Board]:
    """Filter an already loaded list of boards (with ``parent_id``, ``is_hidden`` and
    ``view_groups``; the list must hold every ancestor) to those ``user`` may see. No query."""
    if sees_hidden_boards(user):
        return list(boards)
    group_id = viewer_group_id(user)
    by_id = {b.pk: b for b in boards}

    def allowed(b: Board | None) -> bool:
        for _depth in range(3):
            if b is None:
                return True
            if _node_denies(b, group_id):
                return False
            b = by_id.get(b.parent_id) if b.parent_id else None
        return True

    return [b for b in by_id.values() if allowed(b)]


def denied_board_ids(user) -> set[int]:
    """Ids of the boards ``user`` may not see (one query; none for staff)."""
    if sees_hidden_boards(user):
        return set()
    boards = list(Board.objects.only("id", "parent_id", "is_hidden", "view_groups"))
    allowed = {b.pk for b in visible_boards(user, boards)}
    return {b.pk for b in boards} - allowed


def check_view_board(user, board: Board) -> None:
    """Raise ``Http404`` unless ``user`` may see ``board``."""
    if not can_view_board(user, board):
        raise Http404


def check_view_thread(user, thread: Thread) -> None:
    """Raise ``Http404`` unless ``user`` may read ``thread`` (state NORMAL, board visible).

    Load the thread with ``select_related("board__parent__parent")`` (and the
    ``is_hidden``/``view_groups`` columns) to keep this query-free.
    """
    if thread.state != Thread.State.NORMAL:
        raise Http404
    check_view_board(user, thread.board)


def filter_boards_queryset(queryset: QuerySet[Board], user) -> QuerySet[Board]:
    """Narrow a :class:`Board` queryset to the boards ``user`` may see (one extra query)."""
    denied = denied_board_ids(user)
    return queryset.exclude(pk__in=denied) if denied else queryset


def filter_threads_queryset(queryset: QuerySet[Thread], user) -> QuerySet[Thread]:
    """Narrow a :class:`Thread` queryset to the threads ``user`` may read."""
    queryset = queryset.filter(state=Thread.State.NORMAL)
    denied = denied_board_ids(user)
    return queryset.exclude(board_id__in=denied) if denied else queryset


def filter_posts_queryset(queryset: QuerySet[Post], user) -> QuerySet[Post]:
    """Narrow a :class:`Post` queryset to the visible posts of threads ``user`` may read."""
    queryset = queryset.filter(state=Post.State.VISIBLE, thread__state=Thread.State.NORMAL)
    denied = denied_board_ids(user)
    return queryset.exclude(thread__board_id__in=denied) if denied else queryset


from luntan.permissions.moderation import (  # noqa: E402
    check_moderate_board,
    check_moderate_post,
    check_moderate_thread,
    check_move_thread,
    check_report_post,
    is_global_moderator,
    moderated_board_ids,
)
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
    "check_moderate_board",
    "check_moderate_post",
    "check_moderate_thread",
    "check_move_thread",
    "check_report_post",
    "is_global_moderator",
    "moderated_board_ids",
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
    "denied_board_ids",
    "sees_hidden_boards",
    "viewer_group_id",
    "visible_boards",
]
