"""Who may start a poll (发起投票), vote, see the results and see who voted
(re-exported by :mod:`luntan.permissions`).

The poll itself (:class:`luntan.polls.models.Poll`) lives above this package; the rules
read the attributes they need from the object they are given (``expires_at``,
``results_before_vote``, ``public_voters``) and never import it.

Rules as Discuz! X3.4 has them (``common_usergroup_field.allowpostpoll`` and
``allowvote`` → the group's ``allow_post_poll`` / ``allow_vote``, by default on for every
group except 禁止发言/禁止访问/禁止 IP, 游客, 等待验证会员 and 限制会员 (4–9);
``source/module/forum/forum_viewthread.php`` + ``viewthread_poll.php``):

- start a poll: whoever may start a thread in the board (:func:`check_start_thread`)
  and whose group has ``allow_post_poll``;
- vote: a member who may read the thread, whose group has ``allow_vote`` and may write
  at all (not banned, not awaiting verification), the thread not closed (Discuz!
  ``$allowvotethread``) and the poll not expired;
- results: shown to everybody when the poll says so (Discuz! ``forum_poll.visible``),
  otherwise to those who voted, the thread's author, the board's moderators, and to
  everybody once the poll has ended;
- voters (投票参与人): shown when the poll is public (Discuz! ``overt``), otherwise to the
  board's moderators only.

Administrators and super moderators may always start polls and vote.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.boards.models import Board
from luntan.permissions.posting import NO_POSTING_GROUPS, can_start_thread
from luntan.permissions.threads import check_view_thread
from luntan.permissions.viewer import ViewerLike, as_viewer


def can_start_poll(viewer: ViewerLike, board: Board) -> bool:
    """True when the viewer may start a thread with a poll in ``board`` (no query for a
    loaded board beyond :func:`can_start_thread`'s)."""
    v = as_viewer(viewer)
    if not (v.rights.allow_post_poll or v.is_staff_moderator):
        return False
    return can_start_thread(v, board)


def poll_ended(poll: Any, now: datetime | None = None) -> bool:
    """True when ``poll.expires_at`` (aware UTC, ``None`` = never) is past ``now``."""
    expires = getattr(poll, "expires_at", None)
    return expires is not None and expires <= (now or timezone.now())


def check_vote(viewer: ViewerLike, thread: Any, poll: Any, *, now: datetime | None = None) -> None:
    """Raise unless the viewer may vote in ``poll`` of ``thread``: what
    :func:`check_view_thread` raises (``Http404`` …) when the thread can't be read, else
    ``PermissionDenied`` with the reason (guest, group, closed thread, ended poll).
    Whether they voted already is the voting service's business."""
    v = as_viewer(viewer)
    check_view_thread(v, thread)
    if not v.is_authenticated:
        raise PermissionDenied(_("您需要登录后才可以投票。"))
    if not v.is_active:
        raise PermissionDenied(_("您的账号已被锁定。"))
    may = v.is_staff_moderator or (v.rights.allow_vote and v.group_id not in NO_POSTING_GROUPS)
    if not may:
        raise PermissionDenied(
            _("您所在的用户组（%(group)s）不能参与投票。") % {"group": v.rights.name}
        )
    if thread.closed:
        raise PermissionDenied(_("该主题已关闭，不能投票。"))
    if poll_ended(poll, now):
        raise PermissionDenied(_("该投票已经结束。"))


def can_vote(viewer: ViewerLike, thread: Any, poll: Any, *, now: datetime | None = None) -> bool:
    """Bool form of :func:`check_vote` (False for a thread the viewer can't read)."""
    try:
        check_vote(viewer, thread, poll, now=now)
    except Exception:  # noqa: BLE001 - Http404 and PermissionDenied alike mean "no"
        return False
    return True


def can_see_poll_results(
    viewer: ViewerLike,
    thread: Any,
    poll: Any,
    *,
    voted: bool,
    moderator: bool | None = None,
    now: datetime | None = None,
) -> bool:
    """True when the viewer may see the counts of ``poll`` (see the module doc).
    ``voted``: the viewer has voted; ``moderator``: whether they moderate the board when
    the caller knows it (else asked: at most one query)."""
    if getattr(poll, "results_before_vote", True) or voted or poll_ended(poll, now):
        return True
    v = as_viewer(viewer)
    if v.is_authenticated and v.pk is not None and v.pk == getattr(thread, "author_id", None):
        return True
    if moderator is None:
        moderator = v.is_authenticated and v.moderates(thread.board)
    return bool(moderator)


def can_see_poll_voters(
    viewer: ViewerLike, thread: Any, poll: Any, *, moderator: bool | None = None
) -> bool:
    """True when the viewer may see who voted for what: a public poll (Discuz! overt)
    for anyone who may read the thread, else the board's moderators."""
    if getattr(poll, "public_voters", False):
        return True
    if moderator is None:
        v = as_viewer(viewer)
        moderator = v.is_authenticated and v.moderates(thread.board)
    return bool(moderator)
