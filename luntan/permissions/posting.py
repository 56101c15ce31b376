"""Who may post, reply, edit and delete, and who solves a captcha or waits for review
(re-exported by :mod:`luntan.permissions`).

``can_*`` return a bool; ``check_*`` raise ``PermissionDenied`` with a message a member
can act on (views turn it into a 403 page or a form error). Rules follow Discuz! X3.4's
defaults: guests (游客), members awaiting verification (等待验证会员) and banned groups
(禁止发言 / 禁止访问 / 禁止 IP) may not post; members post and reply; a closed thread takes
replies only from moderators; authors edit their posts within the site's edit window and
moderators (管理员, 超级版主, and a board's own 版主) edit and delete anywhere in their reach.
Functions take a :class:`~luntan.permissions.viewer.Viewer` (a ``User`` during the
transition). Threads and posts are read through their own attributes (``thread.State``),
so this module does not import :mod:`luntan.threads`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.accounts.captcha import CAPTCHA_EXEMPT_GROUPS, first_posts_threshold
from luntan.accounts.groups import BANNED_GROUPS, NEWBIE_GROUPS, STAFF_GROUPS, GroupId
from luntan.boards.models import Board
from luntan.core.models import SiteSettings, get_site_settings
from luntan.permissions.boards import (  # noqa: F401 - is_moderator kept importable here
    BoardPasswordRequired,
    board_allows,
    check_read_board,
    is_moderator,
)
from luntan.permissions.modrights import has_moderation_right
from luntan.permissions.registry import providers
from luntan.permissions.viewer import Viewer, ViewerLike, as_viewer

#: Groups that never write: the banned groups, 游客 and 等待验证会员.
NO_POSTING_GROUPS = BANNED_GROUPS | {GroupId.GUEST, GroupId.AWAITING_VERIFICATION}
#: 管理员 and 超级版主 (old name of :data:`luntan.accounts.groups.STAFF_GROUPS`).
GLOBAL_MODERATOR_GROUPS = STAFF_GROUPS
#: Groups whose posts the 新手上路 review setting holds: 等待验证会员, 限制会员, 新手上路.
NEWBIE_REVIEW_GROUPS = NEWBIE_GROUPS


def _ban_sentence(v: Viewer) -> str:
    """`` 理由：… 到期时间：2099-3-1 15:30`` (end in the active time zone: the viewer's) or
    ``… 到期时间：永久``; empty without a registered provider or an active ban."""
    details = providers.ban_details(v.user)
    if details is None:
        return ""
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


def _awaiting_message(v) -> str:
    """The refusal of a member in 等待验证会员: in 人工审核 mode, waiting for an
    administrator or the reason their registration was refused (one query); else the
    e-mail verification they still owe."""
    from luntan.accounts.models import RegistrationReview

    review = RegistrationReview.objects.filter(user_id=v.pk).first()
    if review is not None:
        return _("您的注册申请未通过审核。理由：%(reason)s") % {"reason": review.reason}
    if get_site_settings().registration_mode == SiteSettings.RegistrationMode.MANUAL:
        return _("您的注册正在等待管理员审核，审核通过后才能发帖。")
    return _("您的账号还在等待验证，验证通过后才能发帖。")


def posting_refusal(viewer: ViewerLike) -> str | None:
    """Why the viewer may not write anywhere, as a message; ``None`` when they may.

    Guests, locked accounts, 等待验证会员 and the banned groups (禁止发言, 禁止访问, 禁止 IP)
    never post, whatever a board says; other groups then need the per-action right
    (:func:`check_start_thread`, :func:`check_reply`). A banned member's message says the
    ban's reason and end (永久, or the date in the active time zone) through the
    ``ban_details`` lookup ``luntan.bans`` registers (one query, banned members only).
    """
    v = as_viewer(viewer)
    if not v.is_authenticated:
        return _("您需要登录后才可以发帖。")
    if not v.is_active:
        return _("您的账号已被锁定。")
    if v.group_id == GroupId.AWAITING_VERIFICATION:
        return _awaiting_message(v)
    if v.group_id in NO_POSTING_GROUPS:
        return _("您所在的用户组（%(group)s）不能发帖。") % {
            "group": v.rights.name
        } + _ban_sentence(v)
    return None


def captcha_required_for(viewer: ViewerLike) -> bool:
    """True when the viewer must solve the captcha to start a thread or reply: guests, and
    members with fewer than ``settings.LUNTAN_CAPTCHA_FIRST_POSTS`` posts (default 5; 0
    asks nobody) outside :data:`luntan.accounts.captcha.CAPTCHA_EXEMPT_GROUPS` (staff and
    moderators). Discuz! X3.4's 发帖验证码 with ``seccodedata
    ['minposts']`` ("发帖数低于此值的会员需要输入验证码"). Edits never ask. Always False
    when ``settings.LUNTAN_CAPTCHA`` is off (tests, DEBUG development)."""
    if not getattr(settings, "LUNTAN_CAPTCHA", True):
        return False
    v = as_viewer(viewer)
    if not v.is_authenticated:
        return True
    if v.user.is_superuser or v.group_id in CAPTCHA_EXEMPT_GROUPS:
        return False
    return (getattr(v.user, "posts", 0) or 0) < first_posts_threshold()


def _check_readable_for_posting(v: Viewer, board: Board) -> None:
    try:
        check_read_board(v, board)
    except BoardPasswordRequired:
        raise
    except (PermissionDenied, Http404):
        raise PermissionDenied(_("该版块不存在或您没有权限访问。")) from None


def can_start_thread(viewer: ViewerLike, board: Board) -> bool:
    """Bool form of :func:`check_start_thread`."""
    try:
        check_start_thread(viewer, board)
    except PermissionDenied:
        return False
    return True


def check_start_thread(viewer: ViewerLike, board: Board) -> None:
    """Raise ``PermissionDenied`` unless the viewer may start a thread in ``board``:
    :func:`posting_refusal`, a readable board (:class:`~luntan.permissions.
    BoardPasswordRequired` while its password is needed) that is not a category or a
    link, and the member's ``allow_post`` override on the board (访问权限, Discuz!
    ``forum_access``), else ``board.post_groups`` (Discuz! postperm) or the group's
    ``allow_post``."""
    v = as_viewer(viewer)
    reason = posting_refusal(v)
    if reason:
        raise PermissionDenied(reason)
    _check_readable_for_posting(v, board)
    if board.kind == Board.Kind.CATEGORY or board.redirect_url:
        raise PermissionDenied(_("该版块不能发帖。"))
    if v.access_override(board, "allow_post") < 0 and not v.is_admin:
        raise PermissionDenied(_("抱歉，您没有权限在本版块发新话题。"))
    if not board_allows(v, board, board.post_groups, v.rights.allow_post, "allow_post"):
        raise PermissionDenied(
            _("抱歉，您所在的用户组（%(group)s）不能在本版块发新话题。") % {"group": v.rights.name}
        )


def check_reply(viewer: ViewerLike, thread: Any, *, moderator: bool | None = None) -> None:
    """Raise ``PermissionDenied`` unless the viewer may reply to ``thread``.

    :func:`posting_refusal`; the thread NORMAL in a readable board; the member's
    ``allow_reply`` override on the board (访问权限, Discuz! ``forum_access``), else
    ``board.reply_groups`` (Discuz! replyperm) or the group's ``allow_reply``; closed threads refuse everyone but
    the board's moderators (Discuz! 主题已关闭). ``moderator``: :func:`is_moderator` for
    this board when the caller knows it already.
    """
    v = as_viewer(viewer)
    reason = posting_refusal(v)
    if reason:
        raise PermissionDenied(reason)
    board = thread.board
    if thread.state != thread.State.NORMAL:
        raise PermissionDenied(_("该主题不存在或已被删除。"))
    _check_readable_for_posting(v, board)
    override = v.access_override(board, "allow_reply")
    if override < 0 and not v.is_admin:
        raise PermissionDenied(_("抱歉，您没有权限在本版块回复。"))
    if not v.is_staff_moderator and override <= 0:
        groups = board.reply_groups
        allowed = v.group_id in groups if groups else v.rights.allow_reply
        if not allowed:
            if moderator is None:
                moderator = v.moderates(board)
            if not moderator:
                raise PermissionDenied(
                    _("抱歉，您所在的用户组（%(group)s）不能在本版块回复。")
                    % {"group": v.rights.name}
                )
    if thread.closed:
        if moderator is None:
            moderator = v.moderates(board)
        if not moderator:
            raise PermissionDenied(_("该主题已关闭，不能回复。"))


def can_reply(viewer: ViewerLike, thread: Any) -> bool:
    """Bool form of :func:`check_reply`."""
    try:
        check_reply(viewer, thread)
    except PermissionDenied:
        return False
    return True


def check_edit_post(
    viewer: ViewerLike,
    post: Any,
    *,
    window_seconds: int,
    now: datetime | None = None,
    moderator: bool | None = None,
) -> None:
    """Raise ``PermissionDenied`` unless the viewer may edit ``post``.

    Moderators of the post's board may when their group has the ``edit_post`` right
    (:mod:`luntan.permissions.modrights`, Discuz! ``alloweditpost``); the author may while not banned from
    posting and within ``window_seconds`` (seconds; 0 = no limit) of posting. Deleted
    posts can't be edited. ``moderator`` as for :func:`check_reply` (then ``post.thread``
    is not read).
    """
    v = as_viewer(viewer)
    if post.state == post.State.DELETED:
        raise PermissionDenied(_("该帖已被删除。"))
    if moderator is None:
        moderator = v.moderates(post.thread.board)
    if moderator and has_moderation_right(v, "edit_post"):
        return
    if not v.is_authenticated or post.author_id != v.pk:
        raise PermissionDenied(_("您只能编辑自己的帖子。"))
    reason = posting_refusal(v)
    if reason:
        raise PermissionDenied(reason)
    now = now or timezone.now()
    if window_seconds and (now - post.created).total_seconds() > window_seconds:
        raise PermissionDenied(_("已超过可编辑的时间。"))


def check_delete_post(
    viewer: ViewerLike, post: Any, *, moderator: bool | None = None, thread: Any = None
) -> None:
    """Raise ``PermissionDenied`` unless the viewer may delete ``post``.

    Moderators of the board with the ``delete_post`` right (Discuz! ``allowdelpost``)
    may delete any post; an author may delete their own reply but
    not their thread's OP once others have replied (the thread would vanish under them).
    ``moderator`` as for :func:`check_reply`; ``thread`` is ``post.thread`` when the
    caller has it (no query).
    """
    v = as_viewer(viewer)
    if post.state == post.State.DELETED:
        raise PermissionDenied(_("该帖已被删除。"))
    thread = thread or post.thread
    if moderator is None:
        moderator = v.moderates(thread.board)
    if moderator and has_moderation_right(v, "delete_post"):
        return
    if not v.is_authenticated or post.author_id != v.pk:
        raise PermissionDenied(_("您只能删除自己的帖子。"))
    reason = posting_refusal(v)
    if reason:
        raise PermissionDenied(reason)
    if post.floor == 1 and thread.replies > 0:
        raise PermissionDenied(_("主题已有回复，不能删除楼主帖。请联系版主。"))


def posting_limits_apply(viewer: ViewerLike, *, moderator: bool) -> bool:
    """Whether length limits and flood control bind the viewer's posts: not for moderators
    of the board (Discuz! ``disablepostctrl``, on for 管理员/超级版主/版主 by default)."""
    return not moderator


def new_post_needs_review(viewer: ViewerLike, board: Board) -> bool:
    """Whether a new thread or reply of the viewer in ``board`` goes to the review queue
    (Discuz! 新用户发帖审核 and ``modnewposts``): by the site's ``new_post_review`` setting
    (新手上路 and below, groups 8–10, or every member) or the board's
    ``moderate_new_posts``. Ask only for members who are not the board's moderators
    (the callers pass moderators no posting limits). No query (settings cached)."""
    v = as_viewer(viewer)
    if not v.is_authenticated or v.is_staff_moderator:
        return False
    if board.moderate_new_posts:
        return True
    mode = get_site_settings().new_post_review
    if mode == SiteSettings.NewPostReview.ALL:
        return True
    return mode == SiteSettings.NewPostReview.NEWBIES and v.group_id in NEWBIE_REVIEW_GROUPS


@dataclass(frozen=True)
class PostingRights:
    """What one viewer may do on one thread page, decided once per request.

    Built by :func:`posting_rights` with at most one query (the viewer's moderated
    boards), so a page of floors asks :meth:`can_edit`/:meth:`can_delete` per floor
    without queries. ``reply_refusal`` is why the viewer may not reply (``None``: they
    may); ``window_seconds`` the edit window in seconds; ``now`` an aware UTC datetime.
    """

    viewer: Viewer
    thread: Any
    moderator: bool
    reply_refusal: str | None
    window_seconds: int
    now: datetime

    @property
    def user(self) -> Any:
        """The viewer's member (or ``AnonymousUser``)."""
        return self.viewer.user

    @property
    def can_reply(self) -> bool:
        """True when the viewer may reply (and quote) in this thread."""
        return self.reply_refusal is None

    def can_edit(self, post: Any) -> bool:
        """Bool form of :func:`check_edit_post` for a post of this thread."""
        if not self.moderator and post.author_id != self.viewer.pk:
            return False  # the common case on a page, decided without building a message
        try:
            check_edit_post(
                self.viewer,
                post,
                window_seconds=self.window_seconds,
                now=self.now,
                moderator=self.moderator,
            )
        except PermissionDenied:
            return False
        return True

    def can_delete(self, post: Any) -> bool:
        """Bool form of :func:`check_delete_post` for a post of this thread."""
        if not self.moderator and post.author_id != self.viewer.pk:
            return False
        try:
            check_delete_post(self.viewer, post, moderator=self.moderator, thread=self.thread)
        except PermissionDenied:
            return False
        return True


def posting_rights(
    viewer: ViewerLike, thread: Any, *, window_seconds: int, now: datetime | None = None
) -> PostingRights:
    """The viewer's :class:`PostingRights` on ``thread`` (guests: no query; members: one
    for their moderated boards unless they are administrators or super moderators)."""
    v = as_viewer(viewer)
    moderator = v.moderates(thread.board)
    try:
        check_reply(v, thread, moderator=moderator)
        refusal = None
    except PermissionDenied as exc:
        refusal = str(exc)
    return PostingRights(v, thread, moderator, refusal, window_seconds, now or timezone.now())
