"""Who may moderate what (re-exported by :mod:`luntan.permissions`).

Rules as Discuz! X3.4 has them by default: administrators (管理员, group 1, or
superusers) and super moderators (超级版主, group 2) moderate every board; a board's own
moderators (版主, ``Board.moderators``) moderate only that board (Discuz!
``forum_moderator``). ``check_*`` raise ``PermissionDenied`` with a message; a thread the
user may not even see raises ``Http404`` through :func:`luntan.permissions.check_view_board`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from luntan.boards.models import Board
from luntan.permissions.posting import GLOBAL_MODERATOR_GROUPS, is_moderator
from luntan.threads.models import Post, Thread


def is_global_moderator(user) -> bool:
    """True for administrators and super moderators (no query)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.group_id in GLOBAL_MODERATOR_GROUPS)


def moderated_board_ids(user) -> set[int] | None:
    """Ids of the boards ``user`` moderates; ``None`` means every board (global
    moderators); an empty set for everyone else. At most one query."""
    if is_global_moderator(user):
        return None
    if user is None or not user.is_authenticated:
        return set()
    return set(Board.objects.filter(moderators=user).values_list("pk", flat=True))


def check_moderate_board(user, board: Board) -> None:
    """Raise ``PermissionDenied`` unless ``user`` moderates ``board``."""
    if not is_moderator(user, board):
        raise PermissionDenied(_("您没有权限管理该版块。"))


def check_moderate_thread(user, thread: Thread) -> None:
    """Raise ``PermissionDenied`` unless ``user`` moderates ``thread``'s board (any state:
    moderators reach recycled and pending threads too)."""
    check_moderate_board(user, thread.board)


def check_moderate_post(user, post: Post) -> None:
    """Raise ``PermissionDenied`` unless ``user`` moderates the board of ``post``'s thread."""
    check_moderate_board(user, post.thread.board)


def check_move_thread(user, thread: Thread, to_board: Board) -> None:
    """Raise ``PermissionDenied`` unless ``user`` moderates ``thread`` and may put it in
    ``to_board``: a board (not a category or a link) they can see. As in Discuz!, a board
    moderator may move a thread out of their board into any board they can see."""
    from luntan.permissions import can_view_board

    check_moderate_thread(user, thread)
    if (
        to_board.kind == Board.Kind.CATEGORY
        or to_board.redirect_url
        or not can_view_board(user, to_board)
    ):
        raise PermissionDenied(_("不能移动到该版块。"))


def check_report_post(user, post: Post) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may report (举报) ``post``: a signed-in,
    active member reporting a visible post of a thread they can read."""
    from luntan.permissions import check_view_thread

    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("您需要登录后才可以举报。"))
    if not user.is_active:
        raise PermissionDenied(_("您的账号已被锁定。"))
    check_view_thread(user, post.thread)
    if post.state != Post.State.VISIBLE:
        raise PermissionDenied(_("该帖已被删除。"))
