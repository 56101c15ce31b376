"""Who may send, receive and read private messages (短消息) (re-exported by
:mod:`luntan.permissions`).

The conversation and blacklist rows live in :mod:`luntan.pms` above this package; the
rules take the facts they need as arguments (is the viewer a participant, did the
recipient block the sender, does the recipient accept messages) and never import it.

Rules (Discuz! X3.4 ``source/include/spacecp/spacecp_pm.php`` and UCenter
``uc_server/model/pm.php``):

- send: a signed-in, active member whose group may write at all (guests, 等待验证会员 and
  the banned groups 禁止发言/禁止访问/禁止 IP never send: :func:`posting_refusal`) and whose
  group has ``allow_send_pm`` (Discuz! ``common_usergroup.allowsendpm``);
- daily limit: at most the group's ``max_pms_per_day`` messages in 24 hours (Discuz!
  ``common_usergroup_field.allowsendpmmaxnum``; 0 = no limit); administrators and super
  moderators have none;
- a recipient: must be an active member other than the sender; a member who blocked
  the sender (黑名单) or who accepts messages from nobody is refused, except that
  administrators and super moderators may always write (Discuz! lets the admin team
  through ``onlyacceptfriendpm``);
- read a conversation: its participants only; anyone else gets ``Http404`` (the
  conversation is not revealed to exist). Administrators and super moderators read a
  *reported* message through the report queue (:func:`can_read_reported_pm`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from luntan.permissions.modrights import has_moderation_right
from luntan.permissions.posting import posting_refusal
from luntan.permissions.viewer import ViewerLike, as_viewer


def pm_send_refusal(viewer: ViewerLike) -> str | None:
    """Why the viewer may not send private messages at all, as a message (Chinese msgid,
    translated); ``None`` when they may. No query for a loaded viewer beyond
    :func:`posting_refusal`'s (a banned member's ban details: one)."""
    v = as_viewer(viewer)
    refusal = posting_refusal(v)
    if refusal is not None:
        if not v.is_authenticated:
            return _("您需要登录后才可以发送短消息。")
        return refusal
    if not (v.rights.allow_send_pm or v.is_staff_moderator):
        return _("您所在的用户组（%(group)s）不能发送短消息。") % {"group": v.rights.name}
    return None


def check_send_pm(viewer: ViewerLike) -> None:
    """Raise ``PermissionDenied`` with :func:`pm_send_refusal`'s message unless the viewer
    may send private messages."""
    refusal = pm_send_refusal(viewer)
    if refusal is not None:
        raise PermissionDenied(refusal)


def can_send_pm(viewer: ViewerLike) -> bool:
    """Bool form of :func:`check_send_pm`."""
    return pm_send_refusal(viewer) is None


def daily_pm_limit(viewer: ViewerLike) -> int:
    """How many messages the viewer may send in any 24 hours: the group's
    ``max_pms_per_day``; 0 means no limit (also for administrators and super
    moderators)."""
    v = as_viewer(viewer)
    if v.is_staff_moderator:
        return 0
    return max(int(v.rights.max_pms_per_day), 0)


def pm_recipient_refusal(
    viewer: ViewerLike,
    recipient,
    *,
    blocked_by_recipient: bool,
    accepts_messages: bool,
) -> str | None:
    """Why the viewer may not write to ``recipient`` (a ``User``), as a message naming
    them; ``None`` when they may. ``blocked_by_recipient``: the recipient's blacklist
    names the viewer; ``accepts_messages``: the recipient's setting lets members write.
    No query."""
    v = as_viewer(viewer)
    if recipient.pk == v.pk:
        return _("不能给自己发送短消息。")
    if not recipient.is_active:
        return _("用户 %(name)s 的账号已被锁定，不能接收短消息。") % {"name": recipient.username}
    if v.is_staff_moderator:
        return None
    if blocked_by_recipient or not accepts_messages:
        return _("用户 %(name)s 不接收您的短消息。") % {"name": recipient.username}
    return None


def check_view_conversation(viewer: ViewerLike, *, is_participant: bool) -> None:
    """Raise ``Http404`` unless the viewer takes part in the conversation (also for
    staff: a conversation is read by its members only; see :func:`can_read_reported_pm`)."""
    v = as_viewer(viewer)
    if not (v.is_authenticated and is_participant):
        raise Http404(_("该短消息不存在或已被删除。"))


def can_read_reported_pm(viewer: ViewerLike) -> bool:
    """True when the viewer may read a private message that a member reported
    (举报): administrators and super moderators, who handle the report queue of
    messages (a message belongs to no board, so board moderators don't), with their
    group's 查看举报 right (``view_reports``, as for the report queue). No query."""
    v = as_viewer(viewer)
    return v.is_staff_moderator and has_moderation_right(v, "view_reports")


def check_report_pm(viewer: ViewerLike, *, is_participant: bool) -> None:
    """Raise unless the viewer may report a message of a conversation: ``Http404`` when
    they are not in it, ``PermissionDenied`` for a guest or a locked account."""
    check_view_conversation(viewer, is_participant=is_participant)
    v = as_viewer(viewer)
    if not v.is_active:
        raise PermissionDenied(_("您的账号已被锁定。"))
