"""Who may post, reply, edit and delete (re-exported by :mod:`luntan.permissions`).

``can_*`` return a bool; ``check_*`` raise ``PermissionDenied`` with a message a member
can act on (views turn it into a 403 page or a form error). Rules follow Discuz! X3.4's
defaults: guests (游客), members awaiting verification (等待验证会员) and banned groups
(禁止发言 / 禁止访问 / 禁止 IP) may not post; members post and reply; a closed thread takes
replies only from moderators; authors edit their posts within the site's edit window and
moderators (管理员, 超级版主, and a board's own 版主) edit and delete anywhere in their reach.
The credits/usergroups issue replaces the group sets with per-group, per-board settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.accounts.models import UserGroup
from luntan.boards.models import Board
from luntan.threads.models import Post, Thread

NO_POSTING_GROUPS = frozenset(
    {
        UserGroup.BANNED_POSTING,
        UserGroup.BANNED_VISITING,
        UserGroup.BANNED_IP,
        UserGroup.GUEST,
        UserGroup.AWAITING_VERIFICATION,
    }
)
GLOBAL_MODERATOR_GROUPS = frozenset({UserGroup.ADMIN, UserGroup.SUPER_MODERATOR})


def is_moderator(user, board: Board) -> bool:
    """True when ``user`` moderates ``board``: an administrator, a super moderator, or one
    of the board's own moderators (one query for the last case)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or user.group_id in GLOBAL_MODERATOR_GROUPS:
        return True
    return board.moderators.filter(pk=user.pk).exists()


BANNED_GROUPS = frozenset(
    {UserGroup.BANNED_POSTING, UserGroup.BANNED_VISITING, UserGroup.BANNED_IP}
)


#: ``(user) -> (reason, expires_at | None) | None``: the member's active ban, filled by the
#: bans app in ``AppConfig.ready()`` (``luntan.bans.services.ban_details``); the refusal
#: message of a banned member then says why and until when.
BAN_DETAILS: list = []


def _ban_sentence(user) -> str:
    """`` 理由：… 到期时间：2099-3-1 15:30`` (end in the active time zone: the viewer's) or
    ``… 到期时间：永久``; empty without a registered provider or an active ban."""
    for provider in BAN_DETAILS:
        details = provider(user)
        if details is None:
            continue
        reason, expires_at = details
        if expires_at is None:
            end = _("永久")
        else:
            t = timezone.localtime(expires_at)
            end = f"{t.year}-{t.month}-{t.day} {t.hour:02d}:{t.minute:02d}"
        return " " + _("理由：%(reason)s　到期时间：%(end)s") % {
            "reason": reason or _("未填写"),
            "end": end,
        }
    return ""


def posting_refusal(user) -> str | None:
    """Why ``user`` may not write anywhere, as a message; ``None`` when they may.

    Guests, locked accounts, 等待验证会员 and the banned groups (禁止发言, 禁止访问, 禁止 IP)
    never post, whatever a board says; other groups then need the per-action right
    (:func:`check_start_thread`, :func:`check_reply`). A banned member's message says the
    ban's reason and end (永久, or the date in the active time zone) through
    :data:`BAN_DETAILS` (one query, banned members only).
    """
    if user is None or not user.is_authenticated:
        return _("您需要登录后才可以发帖。")
    if not user.is_active:
        return _("您的账号已被锁定。")
    if user.group_id == UserGroup.AWAITING_VERIFICATION:
        return _("您的账号还在等待验证，验证通过后才能发帖。")
    if user.group_id in NO_POSTING_GROUPS:
        from luntan.permissions.groups import group_rights

        return _("您所在的用户组（%(group)s）不能发帖。") % {
            "group": group_rights(user.group_id).name
        } + _ban_sentence(user)
    return None


def _group_name(user) -> str:
    from luntan.permissions.groups import group_rights

    return group_rights(user.group_id).name


def _check_readable_for_posting(user, board: Board) -> None:
    from luntan.permissions import BoardPasswordRequired, check_read_board

    try:
        check_read_board(user, board)
    except BoardPasswordRequired:
        raise
    except (PermissionDenied, Http404):
        raise PermissionDenied(_("该版块不存在或您没有权限访问。")) from None


def can_start_thread(user, board: Board) -> bool:
    """Bool form of :func:`check_start_thread`."""
    try:
        check_start_thread(user, board)
    except PermissionDenied:
        return False
    return True


def check_start_thread(user, board: Board) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may start a thread in ``board``:
    :func:`posting_refusal`, a readable board (:class:`~luntan.permissions.
    BoardPasswordRequired` while its password is needed) that is not a category or a
    link, and ``board.post_groups`` (Discuz! postperm) or the group's ``allow_post``."""
    from luntan.permissions import _board_allows, viewer_rights

    reason = posting_refusal(user)
    if reason:
        raise PermissionDenied(reason)
    _check_readable_for_posting(user, board)
    if board.kind == Board.Kind.CATEGORY or board.redirect_url:
        raise PermissionDenied(_("该版块不能发帖。"))
    if not _board_allows(user, board, board.post_groups, viewer_rights(user).allow_post):
        raise PermissionDenied(
            _("抱歉，您所在的用户组（%(group)s）不能在本版块发新话题。")
            % {"group": _group_name(user)}
        )


def check_reply(user, thread: Thread, *, moderator: bool | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may reply to ``thread``.

    :func:`posting_refusal`; the thread NORMAL in a readable board; ``board.reply_groups``
    (Discuz! replyperm) or the group's ``allow_reply``; closed threads refuse everyone but
    the board's moderators (Discuz! 主题已关闭). ``moderator``: :func:`is_moderator` for
    this board when the caller knows it already (then no query is made here).
    """
    from luntan.permissions import sees_hidden_boards, viewer_group_id, viewer_rights

    reason = posting_refusal(user)
    if reason:
        raise PermissionDenied(reason)
    board = thread.board
    if thread.state != Thread.State.NORMAL:
        raise PermissionDenied(_("该主题不存在或已被删除。"))
    _check_readable_for_posting(user, board)
    if not sees_hidden_boards(user):
        groups = board.reply_groups
        allowed = viewer_group_id(user) in groups if groups else viewer_rights(user).allow_reply
        if not allowed:
            if moderator is None:
                moderator = is_moderator(user, board)
            if not moderator:
                raise PermissionDenied(
                    _("抱歉，您所在的用户组（%(group)s）不能在本版块回复。")
                    % {"group": _group_name(user)}
                )
    if thread.closed:
        if moderator is None:
            moderator = is_moderator(user, board)
        if not moderator:
            raise PermissionDenied(_("该主题已关闭，不能回复。"))


def can_reply(user, thread: Thread) -> bool:
    """Bool form of :func:`check_reply`."""
    try:
        check_reply(user, thread)
    except PermissionDenied:
        return False
    return True


def check_edit_post(
    user,
    post: Post,
    *,
    window_seconds: int,
    now: datetime | None = None,
    moderator: bool | None = None,
) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may edit ``post``.

    Moderators of the post's board always may; the author may while not banned from
    posting and within ``window_seconds`` of posting (0 = no limit). Deleted posts can't
    be edited. ``moderator`` as for :func:`check_reply` (then ``post.thread`` is not read).
    """
    if post.state == Post.State.DELETED:
        raise PermissionDenied(_("该帖已被删除。"))
    if moderator is None:
        moderator = is_moderator(user, post.thread.board)
    if moderator:
        return
    if user is None or not user.is_authenticated or post.author_id != user.pk:
        raise PermissionDenied(_("您只能编辑自己的帖子。"))
    reason = posting_refusal(user)
    if reason:
        raise PermissionDenied(reason)
    now = now or timezone.now()
    if window_seconds and (now - post.created).total_seconds() > window_seconds:
        raise PermissionDenied(_("已超过可编辑的时间。"))


def check_delete_post(
    user, post: Post, *, moderator: bool | None = None, thread: Thread | None = None
) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may delete ``post``.

    Moderators of the board may delete any post; an author may delete their own reply but
    not their thread's OP once others have replied (the thread would vanish under them).
    ``moderator`` as for :func:`check_reply`; ``thread`` is ``post.thread`` when the
    caller has it (no query).
    """
    if post.state == Post.State.DELETED:
        raise PermissionDenied(_("该帖已被删除。"))
    thread = thread or post.thread
    if moderator is None:
        moderator = is_moderator(user, thread.board)
    if moderator:
        return
    if user is None or not user.is_authenticated or post.author_id != user.pk:
        raise PermissionDenied(_("您只能删除自己的帖子。"))
    if posting_refusal(user):
        raise PermissionDenied(posting_refusal(user))
    if post.floor == 1 and thread.replies > 0:
        raise PermissionDenied(_("主题已有回复，不能删除楼主帖。请联系版主。"))


def posting_limits_apply(user, *, moderator: bool) -> bool:
    """Whether length limits and flood control bind ``user``'s posts: not for moderators
    of the board (Discuz! ``disablepostctrl``, on for 管理员/超级版主/版主 by default)."""
    return not moderator


#: Groups whose posts the 新手上路 review setting holds: 等待验证会员, 限制会员, 新手上路.
NEWBIE_REVIEW_GROUPS = frozenset({8, 9, 10})


def new_post_needs_review(user, board: Board) -> bool:
    """Whether a new thread or reply of ``user`` in ``board`` goes to the review queue
    (Discuz! 新用户发帖审核 and ``modnewposts``): by the site's ``new_post_review`` setting
    (新手上路 and below, groups 8–10, or every member) or the board's
    ``moderate_new_posts``. Ask only for members who are not the board's moderators
    (the callers pass moderators no posting limits). No query (settings cached)."""
    from luntan.core.models import SiteSettings, get_site_settings

    if user is None or not user.is_authenticated or user.is_superuser:
        return False
    if user.group_id in GLOBAL_MODERATOR_GROUPS:
        return False
    if board.moderate_new_posts:
        return True
    mode = get_site_settings().new_post_review
    if mode == SiteSettings.NewPostReview.ALL:
        return True
    return mode == SiteSettings.NewPostReview.NEWBIES and user.group_id in NEWBIE_REVIEW_GROUPS


@dataclass(frozen=True)
class PostingRights:
    """What one viewer may do on one thread page, decided once per request.

    Built by :func:`posting_rights` with at most one query (:func:`is_moderator`), so a
    page of floors asks :meth:`can_edit`/:meth:`can_delete` per floor without queries.
    ``reply_refusal`` is why the viewer may not reply (``None``: they may).
    """

    user: object
    thread: Thread
    moderator: bool
    reply_refusal: str | None
    window_seconds: int
    now: datetime

    @property
    def can_reply(self) -> bool:
        """True when the viewer may reply (and quote) in this thread."""
        return self.reply_refusal is None

    def can_edit(self, post: Post) -> bool:
        """Bool form of :func:`check_edit_post` for a post of this thread."""
        if not self.moderator and post.author_id != getattr(self.user, "pk", None):
            return False  # the common case on a page, decided without building a message
        try:
            check_edit_post(
                self.user,
                post,
                window_seconds=self.window_seconds,
                now=self.now,
                moderator=self.moderator,
            )
        except PermissionDenied:
            return False
        return True

    def can_delete(self, post: Post) -> bool:
        """Bool form of :func:`check_delete_post` for a post of this thread."""
        if not self.moderator and post.author_id != getattr(self.user, "pk", None):
            return False
        try:
            check_delete_post(self.user, post, moderator=self.moderator, thread=self.thread)
        except PermissionDenied:
            return False
        return True


def posting_rights(
    user, thread: Thread, *, window_seconds: int, now: datetime | None = None
) -> PostingRights:
    """The viewer's :class:`PostingRights` on ``thread`` (guests: no query; members: one
    for :func:`is_moderator` unless they are administrators or super moderators)."""
    authenticated = user is not None and user.is_authenticated
    moderator = is_moderator(user, thread.board) if authenticated else False
    try:
        check_reply(user, thread, moderator=moderator)
        refusal = None
    except PermissionDenied as exc:
        refusal = str(exc)
    return PostingRights(user, thread, moderator, refusal, window_seconds, now or timezone.now())
