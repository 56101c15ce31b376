"""The one place that answers "may this viewer see / do this?".

Plain functions in the style of Misago's ``misago/permissions`` and Discourse's guardian:
``can_*`` return a bool, ``check_*`` raise (``Http404`` when the thing must not be revealed
to exist, ``PermissionDenied`` with a message otherwise) and ``filter_*_queryset`` narrow
listings and search. Views, search, attachments and the archiver call these; nothing else
decides visibility. ``user`` is always a member or an ``AnonymousUser`` (rights of 游客,
group 7).

Rights come from two places, as in Discuz! X3.4 (``source/function/function_forum.php``
``forumperm()`` and ``forumdisplay``/``viewthread``/``post.php``):

1. the viewer's usergroup (:mod:`luntan.permissions.groups`, cached, no query):
   ``allow_visit``, ``read_access``, ``allow_post``, ``allow_reply``, ``allow_download``,
   ``allow_upload``, ``allow_post_image``, ``allow_hide_code``, ``allow_html``;
2. the board (columns of the board row the page already loaded, no query):
   ``view_groups`` (viewperm; inherited by sub-boards), ``post_groups`` (postperm),
   ``reply_groups`` (replyperm), ``download_groups`` (getattachperm), ``upload_groups``
   (postattachperm) — a non-empty list decides alone which groups may, overriding the
   group right as Discuz! does — ``is_hidden`` (status 0; inherited) and ``password``.

Rules:

- administrators (group 1 or superusers) and super moderators (group 2) see and read every
  board, hidden, restricted or with a password, and may do everything;
- a board's own moderators (版主) also see it when it is hidden or restricted, skip its
  password and lists (one query, asked only when a rule would otherwise refuse);
- a group without ``allow_visit`` (禁止访问, 禁止 IP) sees nothing;
- a board is *viewable* when neither it nor an ancestor is hidden or lists
  ``view_groups`` without the viewer's group; its threads are *readable* when it is
  viewable, the group's ``read_access`` is above 0 (or the board's own ``view_groups``
  names the group, as Discuz! lets viewperm override readaccess) and its password, if
  any, was given this session;
- threads are readable when their board is and they are NORMAL; posts when their thread
  is and they are VISIBLE;
- guests, 等待验证会员 and the banned groups (禁止发言, 禁止访问, 禁止 IP) never write; other
  groups start threads / reply / upload / download by the board's list or, without one,
  by their group right.

Thread read levels (阅读权限, Discuz! ``forum_thread.readperm``): a thread whose
``read_level`` is above the viewer's group ``read_access`` stays in lists, but its posts
are not shown (:class:`ThreadReadLevelDenied` from :func:`check_view_thread`; the thread
page shows the OP's header and the message), nor found by search
(:func:`filter_posts_queryset`), except to the thread's author and the board's
moderators, as Discuz!'s ``forum_viewthread.php`` exempts them.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from luntan.accounts.models import UserGroup
from luntan.boards.models import Board
from luntan.permissions.groups import GroupRights, group_rights
from luntan.permissions.passwords import is_unlocked
from luntan.threads.models import Post, Thread

HIDDEN_BOARD_GROUPS = frozenset({UserGroup.ADMIN, UserGroup.SUPER_MODERATOR})


class BoardPasswordRequired(PermissionDenied):
    """The board (``.board``) asks for its password before its threads are shown.

    :class:`luntan.permissions.middleware.ViewerMiddleware` turns it into a redirect to
    the board's password form."""

    def __init__(self, board: Board) -> None:
        super().__init__(_("本版块需要密码才能访问，请输入密码。"))
        self.board = board


class ThreadReadLevelDenied(PermissionDenied):
    """The thread's read level (``.thread.read_level``) is above the viewer's read access."""

    def __init__(self, thread: Thread) -> None:
        super().__init__(_("本帖阅读权限为 %(n)d，您当前的阅读权限不够") % {"n": thread.read_level})
        self.thread = thread


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


def viewer_rights(user) -> GroupRights:
    """The :class:`GroupRights` of ``user``'s group (cached, no query when warm)."""
    return group_rights(viewer_group_id(user))


def _moderates(user, board: Board) -> bool:
    """True when an authenticated ``user`` is one of ``board``'s own moderators (a query)."""
    if user is None or not user.is_authenticated:
        return False
    return board.moderators.filter(pk=user.pk).exists()


def _node_denies(node: Board, group_id: int) -> bool:
    return bool(node.is_hidden or (node.view_groups and group_id not in node.view_groups))


def _tree_denies(board: Board, group_id: int) -> bool:
    node: Board | None = board
    for depth in range(3):
        if node is None:
            return False
        if _node_denies(node, group_id):
            return True
        node = node.parent if depth < 2 and node.parent_id else None
    return False


def can_view_board(user, board: Board) -> bool:
    """May ``user`` see ``board`` (in the index, its page)?

    Denied to groups without ``allow_visit``, and when the board, its parent or its
    grandparent (the tree is at most three deep) is hidden or lists ``view_groups``
    without the viewer's group, unless the viewer moderates the board. Reads
    ``board.parent`` and ``board.parent.parent``: load them with
    ``select_related("parent__parent")`` (with ``is_hidden`` and ``view_groups``) to keep
    this query-free.
    """
    if sees_hidden_boards(user):
        return True
    if not viewer_rights(user).allow_visit:
        return False
    if not _tree_denies(board, viewer_group_id(user)):
        return True
    return _moderates(user, board)


def can_read_board(user, board: Board) -> bool:
    """May ``user`` read ``board``'s threads? (:func:`check_read_board` as a bool)."""
    try:
        check_read_board(user, board)
    except (PermissionDenied, Http404):
        return False
    return True


def board_locked(user, board: Board) -> bool:
    """True when ``board`` has a password ``user`` has not given this session (staff and
    the board's moderators never need it)."""
    if not board.password or sees_hidden_boards(user) or is_unlocked(user, board):
        return False
    return not _moderates(user, board)


def check_read_board(user, board: Board) -> None:
    """Raise unless ``user`` may read ``board``'s threads.

    ``Http404`` when the board is not viewable (:func:`can_view_board`);
    :class:`BoardPasswordRequired` when its password is still needed; ``PermissionDenied``
    when the group's ``read_access`` is 0 and the board does not name the group.
    Reads ``board.password`` and the columns :func:`can_view_board` reads.
    """
    if not can_view_board(user, board):
        raise Http404
    if sees_hidden_boards(user):
        return
    group_id = viewer_group_id(user)
    if viewer_rights(user).read_access <= 0 and group_id not in (board.view_groups or ()):
        if not _moderates(user, board):
            raise PermissionDenied(
                _("抱歉，您所在的用户组（%(group)s）没有阅读主题的权限。")
                % {"group": viewer_rights(user).name}
            )
    if board_locked(user, board):
        raise BoardPasswordRequired(board)


def visible_boards(user, boards) -> list[Board]:
    """Filter an already loaded list of boards (with ``parent_id``, ``is_hidden`` and
    ``view_groups``; the list must hold every ancestor) to those ``user`` may see
    (:func:`can_view_board`; a board moderator's own hidden boards are left out here).
    No query."""
    if sees_hidden_boards(user):
        return list(boards)
    if not viewer_rights(user).allow_visit:
        return []
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


def denied_board_ids(user, *, reading: bool = True, boards=None) -> set[int]:
    """Ids of the boards ``user`` may not see (``reading=False``) or whose threads they may
    not read (default: also boards locked by a password and, for groups with
    ``read_access`` 0, boards that do not name the group).

    One query; none for administrators and super moderators; one more for a member when
    some board is denied (the boards they moderate are let through). ``boards``, an already
    loaded list holding every ancestor of its boards (with ``parent_id``, ``is_hidden``,
    ``view_groups`` and ``password``), limits the answer to those boards and saves the
    first query.
    """
    if sees_hidden_boards(user):
        return set()
    if boards is None:
        boards = list(Board.objects.only("id", "parent_id", "is_hidden", "view_groups", "password"))
    allowed = {b.pk for b in visible_boards(user, boards)}
    if reading:
        group_id = viewer_group_id(user)
        no_read = viewer_rights(user).read_access <= 0
        allowed = {
            b.pk
            for b in boards
            if b.pk in allowed
            and not (no_read and group_id not in (b.view_groups or ()))
            and (not b.password or is_unlocked(user, b))
        }
    denied = {b.pk for b in boards} - allowed
    if denied and user is not None and user.is_authenticated:
        denied -= set(user.moderated_boards.filter(pk__in=denied).values_list("pk", flat=True))
    return denied


def check_view_board(user, board: Board) -> None:
    """Raise ``Http404`` unless ``user`` may see ``board``."""
    if not can_view_board(user, board):
        raise Http404


def check_view_thread(user, thread: Thread) -> None:
    """Raise unless ``user`` may read ``thread`` (state NORMAL, board readable):
    ``Http404`` for a thread that is not NORMAL or a board not viewable, else as
    :func:`check_read_board`.

    Load the thread with ``select_related("board__parent__parent")`` (and the
    ``is_hidden``/``view_groups``/``password`` columns) to keep this query-free.
    """
    if thread.state != Thread.State.NORMAL:
        raise Http404
    check_read_board(user, thread.board)
    if read_level_denies(user, thread):
        raise ThreadReadLevelDenied(thread)


def read_level_denies(user, thread: Thread) -> bool:
    """True when ``thread.read_level`` is above ``user``'s group read access and ``user``
    is neither its author nor a moderator of its board (Discuz! ``readperm``). No query
    unless the level is above the viewer's access (then one for a board moderator)."""
    level = thread.read_level
    if not level or level <= viewer_rights(user).read_access:
        return False
    if user is None or not user.is_authenticated:
        return True
    if sees_hidden_boards(user) or (thread.author_id and thread.author_id == user.pk):
        return False
    return not _moderates(user, thread.board)


def can_view_thread(user, thread: Thread) -> bool:
    """Bool form of :func:`check_view_thread`."""
    try:
        check_view_thread(user, thread)
    except (PermissionDenied, Http404):
        return False
    return True


def filter_boards_queryset(queryset: QuerySet[Board], user) -> QuerySet[Board]:
    """Narrow a :class:`Board` queryset to the boards ``user`` may see (one extra query)."""
    denied = denied_board_ids(user, reading=False)
    return queryset.exclude(pk__in=denied) if denied else queryset


def filter_threads_queryset(queryset: QuerySet[Thread], user) -> QuerySet[Thread]:
    """Narrow a :class:`Thread` queryset to the threads ``user`` may read."""
    queryset = queryset.filter(state=Thread.State.NORMAL)
    denied = denied_board_ids(user)
    return queryset.exclude(board_id__in=denied) if denied else queryset


def filter_posts_queryset(queryset: QuerySet[Post], user) -> QuerySet[Post]:
    """Narrow a :class:`Post` queryset to the visible posts of threads ``user`` may read
    (threads whose read level is above the viewer's read access left out, unless the
    viewer wrote the thread or moderates its board: :func:`read_level_denies`)."""
    queryset = queryset.filter(state=Post.State.VISIBLE, thread__state=Thread.State.NORMAL)
    denied = denied_board_ids(user)
    if denied:
        queryset = queryset.exclude(thread__board_id__in=denied)
    if sees_hidden_boards(user):
        return queryset
    allowed = Q(thread__read_level__lte=viewer_rights(user).read_access)
    if user is not None and user.is_authenticated:
        allowed |= Q(thread__author_id=user.pk)
        allowed |= Q(thread__board_id__in=Board.objects.filter(moderators=user).values("pk"))
    return queryset.filter(allowed)


def can_set_read_level(user, board: Board) -> bool:
    """May ``user`` give a thread in ``board`` a read level (Discuz! ``allowsetreadperm``,
    on for 管理员/超级版主/版主 by default)? Administrators, super moderators, moderators
    (group 3) and the board's own moderators (one query for the last)."""
    if user is None or not user.is_authenticated:
        return False
    if sees_hidden_boards(user) or user.group_id == UserGroup.MODERATOR:
        return True
    return _moderates(user, board)


def read_level_choices(user) -> list[int]:
    """The read levels ``user`` may give a thread: 0 and every group's read access up to
    their own (Discuz!'s 阅读权限 select lists the groups' readaccess values). Cached."""
    from luntan.permissions.groups import all_group_rights

    own = viewer_rights(user).read_access
    levels = {r.read_access for r in all_group_rights().values() if 0 < r.read_access <= own}
    return [0, *sorted(levels)]


def _board_allows(user, board: Board, groups: list | None, group_right: bool) -> bool:
    """A per-board list decides alone; without one the group right does. Staff always
    may; a board moderator may (queried only when refused otherwise)."""
    if sees_hidden_boards(user):
        return True
    allowed = viewer_group_id(user) in groups if groups else group_right
    return allowed or _moderates(user, board)


def can_download(user, board: Board) -> bool:
    """May ``user`` download (non-image) attachments of ``board``'s threads? Readable board
    and ``download_groups`` (Discuz! getattachperm) or the group's ``allow_download``."""
    if not can_read_board(user, board):
        return False
    return _board_allows(user, board, board.download_groups, viewer_rights(user).allow_download)


def check_download(user, board: Board) -> None:
    """Raise ``PermissionDenied`` (with the reason) unless :func:`can_download`."""
    check_read_board(user, board)
    if not can_download(user, board):
        if not user.is_authenticated:
            raise PermissionDenied(_("您需要登录后才可以下载附件。"))
        raise PermissionDenied(_("抱歉，您所在的用户组没有下载附件的权限。"))


def can_upload(user, board: Board | None = None) -> bool:
    """May ``user`` upload attachments (to ``board``; ``None``: before the post is bound
    to a board, by the group right alone)?"""
    try:
        check_upload(user, board)
    except PermissionDenied:
        return False
    return True


def check_upload(user, board: Board | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may upload (see :func:`can_upload`):
    members who may post, then ``board.upload_groups`` (Discuz! postattachperm) or the
    group's ``allow_upload``."""
    reason = posting_refusal(user)
    if reason:
        raise PermissionDenied(reason)
    right = viewer_rights(user).allow_upload
    if board is not None and not can_read_board(user, board):
        raise PermissionDenied(_("该版块不存在或您没有权限访问。"))
    if board is None:
        ok = right or sees_hidden_boards(user)
    else:
        ok = _board_allows(user, board, board.upload_groups, right)
    if not ok:
        raise PermissionDenied(_("抱歉，您所在的用户组没有上传附件的权限。"))


def can_use_hide_code(user) -> bool:
    """May ``user`` write ``[hide]`` (Discuz! allowhidecode)?"""
    return sees_hidden_boards(user) or viewer_rights(user).allow_hide_code


def can_use_html(user) -> bool:
    """May ``user`` write HTML (Discuz! allowhtml)? luntan's markup renders no raw HTML
    yet, so this is kept for the day it does."""
    return viewer_rights(user).allow_html


def can_post_images(user) -> bool:
    """May ``user`` embed images with ``[img]`` / ``![](…)`` (Discuz! allowpostimage)?"""
    return sees_hidden_boards(user) or viewer_rights(user).allow_post_image


_HIDE_TAG = re.compile(r"\[hide(?:=[^\]]*)?\]", re.IGNORECASE)
_IMG_BBCODE = re.compile(r"\[img(?:=[^\]]*)?\]", re.IGNORECASE)
_IMG_MARKDOWN = re.compile(r"!\[[^\]]*\]\(")


def check_markup_rights(user, source: str, fmt: str = "bbcode") -> None:
    """Raise ``ValidationError`` when ``source`` uses markup ``user``'s group may not:
    ``[hide]`` without ``allow_hide_code``, ``[img]`` (or Markdown ``![](…)``) without
    ``allow_post_image``. Attachments (``[attach]``) are the upload right's business."""
    from django.core.exceptions import ValidationError

    if _HIDE_TAG.search(source) and not can_use_hide_code(user):
        raise ValidationError(_("您所在的用户组不能使用 [hide] 代码。"), code="hide")
    if not can_post_images(user):
        images = _IMG_BBCODE if fmt == "bbcode" else _IMG_MARKDOWN
        if images.search(source):
            raise ValidationError(_("您所在的用户组不能发布图片。"), code="image")


def can_ban_members(user) -> bool:
    """May ``user`` ban members and lift bans (小黑屋)? Administrators and super
    moderators (Discuz! ``allowbanuser``)."""
    return sees_hidden_boards(user)


def can_ban_ips(user) -> bool:
    """May ``user`` manage IP bans? Administrators (Discuz! ``allowbanip``)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.group_id == UserGroup.ADMIN)


def can_edit_site_settings(user) -> bool:
    """May ``user`` open the site settings page and the censor word list? Administrators."""
    return can_ban_ips(user)


from luntan.permissions.moderation import (  # noqa: E402
    check_moderate_board,
    check_moderate_post,
    check_moderate_thread,
    check_move_thread,
    check_repair_counters,
    check_report_post,
    is_global_moderator,
    moderated_board_ids,
    move_target_boards,
)
from luntan.permissions.posting import (  # noqa: E402
    can_reply,
    can_start_thread,
    check_delete_post,
    check_edit_post,
    check_reply,
    check_start_thread,
    is_moderator,
    new_post_needs_review,
    posting_refusal,
)

__all__ = [
    "BoardPasswordRequired",
    "ThreadReadLevelDenied",
    "can_set_read_level",
    "read_level_choices",
    "read_level_denies",
    "new_post_needs_review",
    "can_ban_ips",
    "check_markup_rights",
    "can_ban_members",
    "can_edit_site_settings",
    "board_locked",
    "can_download",
    "can_post_images",
    "can_read_board",
    "can_start_thread",
    "can_upload",
    "can_use_hide_code",
    "can_use_html",
    "can_view_thread",
    "check_download",
    "check_read_board",
    "check_upload",
    "viewer_rights",
    "check_moderate_board",
    "check_moderate_post",
    "check_moderate_thread",
    "check_move_thread",
    "check_repair_counters",
    "check_report_post",
    "is_global_moderator",
    "moderated_board_ids",
    "move_target_boards",
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
