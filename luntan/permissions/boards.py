"""Who may see a board and read its threads (re-exported by :mod:`luntan.permissions`).

Rules from Discuz! X3.4 ``source/function/function_forum.php`` ``forumperm()`` and
``forumdisplay``: see the package docstring. Every function takes a
:class:`~luntan.permissions.viewer.Viewer` (``request.viewer``; a ``User`` is accepted
during the transition, :func:`~luntan.permissions.viewer.as_viewer`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from luntan.accounts.groups import STAFF_GROUPS
from luntan.boards.models import Board
from luntan.permissions.groups import GroupRights
from luntan.permissions.passwords import is_unlocked
from luntan.permissions.viewer import ViewerLike, as_viewer

if TYPE_CHECKING:
    from luntan.permissions.viewer import Viewer

#: 管理员 and 超级版主 (kept for callers of the old name).
HIDDEN_BOARD_GROUPS = STAFF_GROUPS


class BoardPasswordRequired(PermissionDenied):
    """The board (``.board``) asks for its password before its threads are shown.

    :class:`luntan.permissions.middleware.ViewerMiddleware` turns it into a redirect to
    the board's password form."""

    def __init__(self, board: Board) -> None:
        super().__init__(_("本版块需要密码才能访问，请输入密码。"))
        self.board = board


def sees_hidden_boards(viewer: ViewerLike) -> bool:
    """True for administrators and super moderators: they see every board, hidden or
    restricted to other groups."""
    return as_viewer(viewer).is_staff_moderator


def viewer_group_id(viewer: ViewerLike) -> int:
    """The usergroup id whose rights the viewer has: 游客 (7) for a guest."""
    return as_viewer(viewer).group_id


def viewer_rights(viewer: ViewerLike) -> GroupRights:
    """The :class:`GroupRights` of the viewer's group (cached, no query when warm)."""
    return as_viewer(viewer).rights


def is_moderator(viewer: ViewerLike, board: Board) -> bool:
    """True when the viewer moderates ``board``: an administrator, a super moderator, or
    one of the board's own moderators (one query per viewer for the last case)."""
    return as_viewer(viewer).moderates(board)


def _node_denies(node: Board, group_id: int) -> bool:
    return bool(node.is_hidden or (node.view_groups and group_id not in node.view_groups))


def _tree_hidden(board: Board) -> bool:
    node: Board | None = board
    for depth in range(3):
        if node is None:
            return False
        if node.is_hidden:
            return True
        node = node.parent if depth < 2 and node.parent_id else None
    return False


def _tree_denies(board: Board, group_id: int) -> bool:
    node: Board | None = board
    for depth in range(3):
        if node is None:
            return False
        if _node_denies(node, group_id):
            return True
        node = node.parent if depth < 2 and node.parent_id else None
    return False


def can_view_board(viewer: ViewerLike, board: Board) -> bool:
    """May the viewer see ``board`` (in the index, its page)?

    Denied to groups without ``allow_visit``, and when the board, its parent or its
    grandparent (the tree is at most three deep) is hidden or lists ``view_groups``
    without the viewer's group, unless the viewer moderates the board. A member's
    per-board override (访问权限, Discuz! ``forum_access.allowview``) decides before the
    group rules: -1 refuses everyone but administrators (moderators too, as in
    Discuz!), 1 lets the member see a board that is not hidden whatever ``view_groups``
    says (no query for members without overrides). Reads
    ``board.parent`` and ``board.parent.parent``: load them with
    ``select_related("parent__parent")`` (with ``is_hidden`` and ``view_groups``) to keep
    this query-free.
    """
    v = as_viewer(viewer)
    if v.is_admin:
        return True
    override = v.access_override(board, "allow_view")
    if override < 0:
        return False
    if v.is_staff_moderator:
        return True
    if not v.rights.allow_visit:
        return False
    if override > 0:
        return not _tree_hidden(board)
    if not _tree_denies(board, v.group_id):
        return True
    return v.moderates(board)


def can_read_board(viewer: ViewerLike, board: Board) -> bool:
    """May the viewer read ``board``'s threads? (:func:`check_read_board` as a bool)."""
    try:
        check_read_board(viewer, board)
    except (PermissionDenied, Http404):
        return False
    return True


def board_locked(viewer: ViewerLike, board: Board) -> bool:
    """True when ``board`` has a password the viewer has not given this session (staff and
    the board's moderators never need it)."""
    v = as_viewer(viewer)
    if not board.password or v.is_staff_moderator or is_unlocked(v, board):
        return False
    return not v.moderates(board)


def check_read_board(viewer: ViewerLike, board: Board) -> None:
    """Raise unless the viewer may read ``board``'s threads.

    ``Http404`` when the board is not viewable (:func:`can_view_board`);
    :class:`BoardPasswordRequired` when its password is still needed; ``PermissionDenied``
    when the group's ``read_access`` is 0 and the board does not name the group (a
    member's ``allow_view`` override of 1 lets them read, as Discuz!'s ``allowview``
    skips ``readaccess``). Reads ``board.password`` and the columns :func:`can_view_board` reads.
    """
    v = as_viewer(viewer)
    if not can_view_board(v, board):
        raise Http404
    if v.is_staff_moderator:
        return
    if v.rights.read_access <= 0 and v.group_id not in (board.view_groups or ()):
        if v.access_override(board, "allow_view") <= 0 and not v.moderates(board):
            raise PermissionDenied(
                _("抱歉，您所在的用户组（%(group)s）没有阅读主题的权限。")
                % {"group": v.rights.name}
            )
    if board_locked(v, board):
        raise BoardPasswordRequired(board)


def check_view_board(viewer: ViewerLike, board: Board) -> None:
    """Raise ``Http404`` unless the viewer may see ``board``."""
    if not can_view_board(viewer, board):
        raise Http404


def visible_boards(viewer: ViewerLike, boards: Iterable[Board]) -> list[Board]:
    """Filter an already loaded list of boards (with ``parent_id``, ``is_hidden`` and
    ``view_groups``; the list must hold every ancestor) to those the viewer may see
    (:func:`can_view_board`; a board moderator's own hidden boards are left out here).
    No query."""
    v = as_viewer(viewer)
    if v.is_admin:
        return list(boards)
    access = v.board_access
    if v.is_staff_moderator and not access:
        return list(boards)
    if not v.rights.allow_visit and not v.is_staff_moderator:
        return []
    group_id = v.group_id
    by_id = {b.pk: b for b in boards}

    def allowed(b: Board | None, hidden_only: bool = False) -> bool:
        for _depth in range(3):
            if b is None:
                return True
            if b.is_hidden if hidden_only else _node_denies(b, group_id):
                return False
            b = by_id.get(b.parent_id) if b.parent_id else None
        return True

    def override(b: Board) -> int:
        return access.get(b.pk, {}).get("allow_view", 0) if access else 0

    out = []
    for b in by_id.values():
        ov = override(b)
        if ov < 0:
            continue
        if v.is_staff_moderator or allowed(b) or (ov > 0 and allowed(b, hidden_only=True)):
            out.append(b)
    return out


def denied_board_ids(
    viewer: ViewerLike, *, reading: bool = True, boards: Iterable[Board] | None = None
) -> set[int]:
    """Ids of the boards the viewer may not see (``reading=False``) or whose threads they
    may not read (default: also boards locked by a password and, for groups with
    ``read_access`` 0, boards that do not name the group).

    One query; none for administrators and super moderators; one more for a member when
    some board is denied (the boards they moderate are let through; asked once per
    viewer). ``boards``, an already loaded list holding every ancestor of its boards (with
    ``parent_id``, ``is_hidden``, ``view_groups`` and ``password``), limits the answer to
    those boards and saves the first query.
    """
    v = as_viewer(viewer)
    if v.is_admin or (v.is_staff_moderator and not v.board_access):
        return set()
    if boards is None:
        boards = Board.objects.only("id", "parent_id", "is_hidden", "view_groups", "password")
    boards = list(boards)
    allowed = {b.pk for b in visible_boards(v, boards)}
    if v.is_staff_moderator:  # only their 访问权限 refusals
        return {b.pk for b in boards} - allowed
    access = v.board_access
    if reading:
        no_read = v.rights.read_access <= 0
        allowed = {
            b.pk
            for b in boards
            if b.pk in allowed
            and not (
                no_read
                and v.group_id not in (b.view_groups or ())
                and access.get(b.pk, {}).get("allow_view", 0) <= 0
            )
            and (not b.password or is_unlocked(v, b))
        }
    denied = {b.pk for b in boards} - allowed
    if denied and v.is_authenticated:
        refused = {pk for pk, r in access.items() if r.get("allow_view", 0) < 0}
        denied -= v.moderated_board_ids - refused
    return denied


def filter_boards_queryset(queryset: QuerySet[Board], viewer: ViewerLike) -> QuerySet[Board]:
    """Narrow a :class:`Board` queryset to the boards the viewer may see (one extra query)."""
    denied = denied_board_ids(viewer, reading=False)
    return queryset.exclude(pk__in=denied) if denied else queryset


def board_allows(
    viewer: Viewer, board: Board, groups: list | None, group_right: bool, right: str = ""
) -> bool:
    """A per-board group list (``board.post_groups`` …) decides alone; without one the
    group right does. Staff always may; a board moderator may (asked only when refused
    otherwise). ``right`` (``"allow_post"``, ``"allow_reply"``, ``"allow_download"``,
    ``"allow_upload"``): the member's per-board override of it decides first (访问权限,
    Discuz! ``forum_access``: 1 allows, -1 refuses everyone but administrators)."""
    if right:
        override = viewer.access_override(board, right)
        if override < 0 and not viewer.is_admin:
            return False
        if override > 0:
            return True
    if viewer.is_staff_moderator:
        return True
    allowed = viewer.group_id in groups if groups else group_right
    return allowed or viewer.moderates(board)
