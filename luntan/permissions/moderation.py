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
from luntan.permissions.posting import GLOBAL_MODERATOR_GROUPS, is_moderator, posting_refusal
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


def _move_target_kind_ok(board: Board) -> bool:
    return board.kind != Board.Kind.CATEGORY and not board.redirect_url


def check_move_thread(user, thread: Thread, to_board: Board) -> None:
    """Raise ``PermissionDenied`` unless ``user`` moderates ``thread`` and may put it in
    ``to_board``: a board (not a category or a link) they can see and, for a board
    moderator (版主), one they moderate too; administrators and super moderators may move
    into any board they see. (Discuz! X3.4 lists every forum in the move form but a 版主
    holds moderator rights only in the forums of ``forum_moderator``; luntan asks for
    them at both ends, issue 9 item 20.)"""
    from luntan.permissions import can_view_board

    check_moderate_thread(user, thread)
    if not _move_target_kind_ok(to_board) or not can_view_board(user, to_board):
        raise PermissionDenied(_("不能移动到该版块。"))
    if not is_global_moderator(user) and not is_moderator(user, to_board):
        raise PermissionDenied(_("您只能把主题移动到您管理的版块。"))


def move_target_boards(user, boards) -> list[Board]:
    """Of the loaded ``boards`` (with ``parent__parent``, ``kind``, ``redirect_url``,
    ``is_hidden``, ``view_groups``), those ``user`` may move a thread into, in the given
    order (:func:`check_move_thread`'s rule): every visible board for global moderators,
    the visible boards they moderate for a 版主. At most one query."""
    from luntan.permissions import can_view_board, visible_boards

    candidates = [b for b in boards if _move_target_kind_ok(b)]
    if is_global_moderator(user):
        return [b for b in visible_boards(user, boards) if _move_target_kind_ok(b)]
    mine = moderated_board_ids(user) or set()
    return [b for b in candidates if b.pk in mine and can_view_board(user, b)]


def check_repair_counters(user) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may use 修复统计 (check and rebuild the
    stored counters): administrators (group 1) and superusers, as Discuz!'s 后台 更新统计."""
    from luntan.permissions import can_edit_site_settings

    if not can_edit_site_settings(user):
        raise PermissionDenied(_("只有管理员可以修复统计。"))


def check_report_post(user, post: Post) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may report (举报) ``post``: a signed-in,
    active member who may post (:func:`posting_refusal`: not banned from posting, not
    waiting for verification) reporting a visible post of a thread they can read."""
    from luntan.permissions import check_view_thread

    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("您需要登录后才可以举报。"))
    if not user.is_active:
        raise PermissionDenied(_("您的账号已被锁定。"))
    refusal = posting_refusal(user)  # 禁止发言 and 等待验证 members file no reports either
    if refusal:
        raise PermissionDenied(refusal)
    check_view_thread(user, post.thread)
    if post.state != Post.State.VISIBLE:
        raise PermissionDenied(_("该帖已被删除。"))
