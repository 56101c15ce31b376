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

from datetime import datetime

from django.core.exceptions import PermissionDenied
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


def posting_refusal(user) -> str | None:
    """Why ``user`` may not post anywhere, as a message; ``None`` when they may."""
    if user is None or not user.is_authenticated:
        return _("您需要登录后才可以发帖。")
    if not user.is_active:
        return _("您的账号已被锁定。")
    if user.group_id == UserGroup.AWAITING_VERIFICATION:
        return _("您的账号还在等待验证，验证通过后才能发帖。")
    if user.group_id in NO_POSTING_GROUPS:
        return _("您所在的用户组（%(group)s）不能发帖。") % {"group": user.group.name}
    return None


def check_start_thread(user, board: Board) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may start a thread in ``board``."""
    from luntan.permissions import can_view_board

    reason = posting_refusal(user)
    if reason:
        raise PermissionDenied(reason)
    if not can_view_board(user, board) or board.kind == Board.Kind.CATEGORY or board.redirect_url:
        raise PermissionDenied(_("该版块不能发帖。"))


def check_reply(user, thread: Thread) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may reply to ``thread``.

    Closed threads refuse everyone but the board's moderators (Discuz! 主题已关闭).
    """
    from luntan.permissions import can_view_board

    reason = posting_refusal(user)
    if reason:
        raise PermissionDenied(reason)
    if thread.state != Thread.State.NORMAL or not can_view_board(user, thread.board):
        raise PermissionDenied(_("该主题不存在或已被删除。"))
    if thread.closed and not is_moderator(user, thread.board):
        raise PermissionDenied(_("该主题已关闭，不能回复。"))


def can_reply(user, thread: Thread) -> bool:
    """Bool form of :func:`check_reply`."""
    try:
        check_reply(user, thread)
    except PermissionDenied:
        return False
    return True


def check_edit_post(user, post: Post, *, window_seconds: int, now: datetime | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may edit ``post``.

    Moderators of the post's board always may; the author may while not banned from
    posting and within ``window_seconds`` of posting (0 = no limit). Deleted posts can't
    be edited.
    """
    if post.state == Post.State.DELETED:
        raise PermissionDenied(_("该帖已被删除。"))
    if is_moderator(user, post.thread.board):
        return
    if user is None or not user.is_authenticated or post.author_id != user.pk:
        raise PermissionDenied(_("您只能编辑自己的帖子。"))
    reason = posting_refusal(user)
    if reason:
        raise PermissionDenied(reason)
    now = now or timezone.now()
    if window_seconds and (now - post.created).total_seconds() > window_seconds:
        raise PermissionDenied(_("已超过可编辑的时间。"))


def check_delete_post(user, post: Post) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may delete ``post``.

    Moderators of the board may delete any post; an author may delete their own reply but
    not their thread's OP once others have replied (the thread would vanish under them).
    """
    if post.state == Post.State.DELETED:
        raise PermissionDenied(_("该帖已被删除。"))
    if is_moderator(user, post.thread.board):
        return
    if user is None or not user.is_authenticated or post.author_id != user.pk:
        raise PermissionDenied(_("您只能删除自己的帖子。"))
    if posting_refusal(user):
        raise PermissionDenied(posting_refusal(user))
    if post.floor == 1 and post.thread.replies > 0:
        raise PermissionDenied(_("主题已有回复，不能删除楼主帖。请联系版主。"))
