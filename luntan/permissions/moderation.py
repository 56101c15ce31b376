"""Who may moderate, report, rate and ban (re-exported by :mod:`luntan.permissions`).

Rules as Discuz! X3.4 has them by default: administrators (管理员, group 1, or
superusers) and super moderators (超级版主, group 2) moderate every board; a board's own
moderators (版主, ``Board.moderators``) moderate only that board (Discuz!
``forum_moderator``). ``check_*`` raise ``PermissionDenied`` with a message; a thread the
viewer may not even see raises ``Http404`` through
:func:`luntan.permissions.boards.check_view_board`. Rating (评分) rights come from the
usergroups ``luntan.credits`` registers (:mod:`luntan.permissions.registry`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from luntan.boards.models import Board
from luntan.permissions.admin import can_edit_site_settings
from luntan.permissions.boards import can_view_board, visible_boards
from luntan.permissions.modrights import has_moderation_right
from luntan.permissions.posting import posting_refusal
from luntan.permissions.registry import providers
from luntan.permissions.threads import check_view_thread
from luntan.permissions.viewer import ViewerLike, as_viewer


def is_global_moderator(viewer: ViewerLike) -> bool:
    """True for administrators and super moderators (no query)."""
    return as_viewer(viewer).is_staff_moderator


def moderated_board_ids(viewer: ViewerLike) -> set[int] | None:
    """Ids of the boards the viewer moderates; ``None`` means every board (global
    moderators); an empty set for everyone else. At most one query per viewer."""
    v = as_viewer(viewer)
    if v.is_staff_moderator:
        return None
    return set(v.moderated_board_ids)


def check_moderate_board(viewer: ViewerLike, board: Board) -> None:
    """Raise ``PermissionDenied`` unless the viewer moderates ``board``."""
    if not as_viewer(viewer).moderates(board):
        raise PermissionDenied(_("您没有权限管理该版块。"))


def check_moderate_thread(viewer: ViewerLike, thread: Any) -> None:
    """Raise ``PermissionDenied`` unless the viewer moderates ``thread``'s board (any
    state: moderators reach recycled and pending threads too)."""
    check_moderate_board(viewer, thread.board)


def check_moderate_post(viewer: ViewerLike, post: Any) -> None:
    """Raise ``PermissionDenied`` unless the viewer moderates the board of ``post``'s
    thread."""
    check_moderate_board(viewer, post.thread.board)


def _move_target_kind_ok(board: Board) -> bool:
    return board.kind != Board.Kind.CATEGORY and not board.redirect_url


def check_move_thread(viewer: ViewerLike, thread: Any, to_board: Board) -> None:
    """Raise ``PermissionDenied`` unless the viewer moderates ``thread`` and may put it in
    ``to_board``: a board (not a category or a link) they can see and, for a board
    moderator (版主), one they moderate too; administrators and super moderators may move
    into any board they see. (Discuz! X3.4 lists every forum in the move form but a 版主
    holds moderator rights only in the forums of ``forum_moderator``; luntan asks for
    them at both ends, issue 9 item 20.)"""
    v = as_viewer(viewer)
    check_moderate_thread(v, thread)
    if not _move_target_kind_ok(to_board) or not can_view_board(v, to_board):
        raise PermissionDenied(_("不能移动到该版块。"))
    if not v.moderates(to_board):
        raise PermissionDenied(_("您只能把主题移动到您管理的版块。"))


def move_target_boards(viewer: ViewerLike, boards: list[Board]) -> list[Board]:
    """Of the loaded ``boards`` (with ``parent__parent``, ``kind``, ``redirect_url``,
    ``is_hidden``, ``view_groups``), those the viewer may move a thread into, in the given
    order (:func:`check_move_thread`'s rule): every visible board for global moderators,
    the visible boards they moderate for a 版主. At most one query per viewer."""
    v = as_viewer(viewer)
    if v.is_staff_moderator:
        return [b for b in visible_boards(v, boards) if _move_target_kind_ok(b)]
    mine = v.moderated_board_ids
    return [b for b in boards if _move_target_kind_ok(b) and b.pk in mine and can_view_board(v, b)]


def check_repair_counters(viewer: ViewerLike) -> None:
    """Raise ``PermissionDenied`` unless the viewer may use 修复统计 (check and rebuild the
    stored counters): administrators (group 1) and superusers, as Discuz!'s 后台 更新统计."""
    if not can_edit_site_settings(viewer):
        raise PermissionDenied(_("只有管理员可以修复统计。"))


def check_report_post(viewer: ViewerLike, post: Any) -> None:
    """Raise ``PermissionDenied`` unless the viewer may report (举报) ``post``: a
    signed-in, active member who may post (:func:`~luntan.permissions.posting.
    posting_refusal`: not banned from posting, not waiting for verification) reporting a
    visible post of a thread they can read."""
    v = as_viewer(viewer)
    if not v.is_authenticated:
        raise PermissionDenied(_("您需要登录后才可以举报。"))
    if not v.is_active:
        raise PermissionDenied(_("您的账号已被锁定。"))
    refusal = posting_refusal(v)  # 禁止发言 and 等待验证 members file no reports either
    if refusal:
        raise PermissionDenied(refusal)
    check_view_thread(v, post.thread)
    if post.state != post.State.VISIBLE:
        raise PermissionDenied(_("该帖已被删除。"))


def may_rate(viewer: ViewerLike, post: Any, groups: frozenset[int] | None = None) -> bool:
    """Whether to offer the viewer the 评分 link under ``post`` (a visible, signed post by
    someone else, and the viewer's group may rate): no query once the rating groups are
    cached. ``groups``: the ids of the groups that may rate, when the caller already
    has them (a page asks once for all its floors instead of the cache per floor).
    :func:`check_rate_post` (and the rating service) check everything again."""
    v = as_viewer(viewer)
    if not (v.is_authenticated and post.author_id and not post.is_anonymous):
        return False
    if post.author_id == v.pk:
        return False
    return v.group_id in (providers.rating_groups() if groups is None else groups)


def check_rate_post(viewer: ViewerLike, post: Any) -> None:
    """Raise ``PermissionDenied`` unless the viewer may rate ``post`` at all (logged in,
    in a group with a rating range on an enabled credit, not their own post, the post
    visible and not anonymous). ``post.thread`` is read for the visibility check."""
    v = as_viewer(viewer)
    if not v.is_authenticated:
        raise PermissionDenied(_("您需要登录后才可以评分。"))
    check_view_thread(v, post.thread)
    if post.state != post.State.VISIBLE or post.author_id is None or post.is_anonymous:
        raise PermissionDenied(_("该帖不能评分。"))
    if post.author_id == v.pk:
        raise PermissionDenied(_("您不能对自己的帖子评分。"))
    if v.group_id not in providers.rating_groups():
        raise PermissionDenied(_("您所在的用户组没有评分权限。"))


def can_ban_members(viewer: ViewerLike) -> bool:
    """May the viewer ban members and lift bans (小黑屋)? Administrators, and super
    moderators whose group has the ``ban_members`` right (Discuz! ``allowbanuser``,
    :mod:`luntan.permissions.modrights`)."""
    v = as_viewer(viewer)
    return v.is_staff_moderator and has_moderation_right(v, "ban_members")
