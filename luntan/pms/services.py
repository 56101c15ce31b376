"""The private message use cases (短消息), one transaction each. The API other code
(views, the JSON API, the Discuz! mobile API, the importer) calls:

- :func:`send_message` — write a message: to ``recipients`` (starts a conversation, or
  continues the one-to-one conversation the pair already has) or into ``conversation``
  (a reply). Returns a :class:`SendResult`.
- :func:`find_recipients` — names typed in the 收件人 field → members, with a clear
  ``ValidationError`` for unknown names.
- :func:`list_conversations` — a member's inbox (a queryset of :class:`Participant`,
  newest first, conversation joined).
- :func:`get_conversation` — one conversation the member takes part in (``Http404``
  otherwise) and their :class:`Participant` row.
- :func:`conversation_messages` — the messages a member sees in a conversation.
- :func:`mark_read`, :func:`delete_for_me` (删除: for oneself only).
- :func:`add_members` (the founder of a group conversation invites members),
  :func:`leave_conversation` (退出 a group), each with a system line "X 加入/退出了会话".
- :func:`block`, :func:`unblock`, :func:`blocked_members`, :func:`set_accept` (黑名单 and
  who may write to me).
- :func:`report_message` (举报, to the moderators' report queue).
- :func:`import_conversations`, :func:`import_messages`, :func:`import_system_notices`,
  :func:`finish_import` — the Discuz! importer's bulk entry points.
- :func:`unread_count` — the member's unread conversations (``User.pm_unread``, no
  query), :func:`recount_unread` rebuilds it.

Rules (permissions in :mod:`luntan.permissions.pms`): the sender may send at all
(group ``allow_send_pm``, not banned), is under the group's daily limit
(``max_pms_per_day`` messages in the last 24 hours, counted in the database under a lock
of the sender's row, so concurrent sends can't pass it), under the rate limit
(``LUNTAN_PM_RATE_COUNT`` messages per ``LUNTAN_PM_RATE_SECONDS`` in the shared cache,
like the other rate limits), writes to at most ``LUNTAN_PM_MAX_MEMBERS`` members
(sender included; Discuz!'s ``chatpmmemberlimit``) none of whom blocked them or accepts
no messages; the body passes the markup caps (:func:`luntan.markup.check_input`, kind
``"pm"``), the group's markup rights and the censor word list through the posting
pipeline's registered screeners (a 禁止 word refuses, a 审核 word refuses too: a private
message can't wait in the review queue). Errors are ``ValidationError`` (``code``:
``recipients``, ``unknown``, ``refused``, ``too_many``, ``empty``, ``body``, ``censor``,
``daily_limit``, ``rate``, ``subject``) or ``PermissionDenied`` (may not send at all);
nothing is written then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan import markup
from luntan.accounts.models import User
from luntan.core.bulk import update_rows
from luntan.core.cache import shared_cache
from luntan.core.parsing import has_control_chars
from luntan.moderation.models import ContentReport
from luntan.moderation.posts import report_content
from luntan.notifications.services import notify_pm
from luntan.permissions import (
    can_read_reported_pm,
    check_markup_rights,
    check_send_pm,
    check_view_conversation,
    daily_pm_limit,
    pm_recipient_refusal,
)
from luntan.permissions.viewer import ViewerLike, as_viewer
from luntan.pms.models import (
    Block,
    Conversation,
    Message,
    Participant,
    PMSettings,
    SystemNotice,
    SystemNoticeRecipient,
)
from luntan.threads.posting import hooks as posting_hooks
from luntan.threads.posting.types import PostInput

SUBJECT_MAX_LENGTH = 80
EXCERPT_LENGTH = 100
FORMATS = ("bbcode", "markdown")


def max_members() -> int:
    """Members a conversation may have, sender included (``LUNTAN_PM_MAX_MEMBERS``,
    default 10; at least 2)."""
    return max(int(getattr(settings, "LUNTAN_PM_MAX_MEMBERS", 10)), 2)


def _rate() -> tuple[int, int]:
    return (
        int(getattr(settings, "LUNTAN_PM_RATE_COUNT", 10)),
        int(getattr(settings, "LUNTAN_PM_RATE_SECONDS", 60)),
    )


def rate_window_seconds() -> int:
    """Seconds of the rate limit's window (``LUNTAN_PM_RATE_SECONDS``): how long a
    refused sender waits at most."""
    return max(_rate()[1], 1)


@dataclass(frozen=True)
class SendResult:
    """What :func:`send_message` wrote: the ``conversation`` (new or continued), the new
    ``message`` and whether the conversation was ``created`` by this call."""

    conversation: Conversation
    message: Message
    created: bool


# --- reading ----------------------------------------------------------------------------


def list_conversations(user: User) -> QuerySet[Participant]:
    """``user``'s inbox: their :class:`Participant` rows not deleted for them, newest
    conversation first, each with ``conversation`` joined (``.unread`` marks unread
    ones). Paginate it; one query per page (plus the paginator's count)."""
    return (
        Participant.objects.filter(user_id=user.pk, hidden=False)
        .select_related("conversation")
        .order_by("-last_message_at", "-conversation_id")
    )


def member_names(conversation_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """``{conversation id: [(member id, name), …]}`` of every member of the given
    conversations, in the order they joined (one query)."""
    found: dict[int, list[tuple[int, str]]] = {}
    rows = (
        Participant.objects.filter(conversation_id__in=list(conversation_ids))
        .order_by("conversation_id", "pk")
        .values_list("conversation_id", "user_id", "user__username")
    )
    for cid, uid, name in rows:
        found.setdefault(cid, []).append((uid, name))
    return found


def get_conversation(viewer: ViewerLike, conversation_id: int) -> tuple[Conversation, Participant]:
    """The conversation ``conversation_id`` and the viewer's :class:`Participant` row in
    it (one query). Raises ``Http404`` when it does not exist or the viewer is not in it
    (:func:`luntan.permissions.check_view_conversation`)."""
    v = as_viewer(viewer)
    participant = None
    if v.is_authenticated:
        participant = (
            Participant.objects.filter(conversation_id=conversation_id, user_id=v.pk or 0)
            .select_related("conversation")
            .first()
        )
    check_view_conversation(v, is_participant=participant is not None)
    assert participant is not None
    return participant.conversation, participant


def conversation_messages(participant: Participant) -> QuerySet[Message]:
    """The messages the member of ``participant`` sees, oldest first: those after what
    they deleted (``cleared_before``) and not hidden for them (imported ``delstatus``),
    system lines included. Annotated ``has_attachments`` when attachments are installed
    (:func:`show_attachments` then costs no query for a page without any)."""
    messages = (
        Message.objects.filter(
            conversation_id=participant.conversation_id, pk__gt=participant.cleared_before
        )
        .exclude(hidden_for_id=participant.user_id)
        .order_by("pk")
    )
    provider = posting_hooks.message_attachments()
    if provider is not None:
        messages = messages.annotate(**provider.annotations())
    return messages


def show_attachments(messages: list[Message]) -> None:
    """Put the attachments of ``messages`` (from :func:`conversation_messages`) into
    them: inline ones in ``message.html``, the others as ``message.files_html``. One
    query, none when no message has any (or without the attachments app)."""
    provider = posting_hooks.message_attachments()
    if provider is not None:
        provider.decorate(messages)


def unread_count(user: User) -> int:
    """How many conversations ``user`` has unread: ``User.pm_unread``, kept by these
    services (no query: the request's user row already has it)."""
    return int(getattr(user, "pm_unread", 0) or 0)


def _recount(user_ids: Iterable[int]) -> None:
    """Set ``pm_unread`` of ``user_ids`` from their participant rows (one UPDATE). Call
    it inside the transaction that changed them, after locking the users' rows."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    unread = (
        Participant.objects.filter(user_id=OuterRef("pk"), unread=True, hidden=False)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    User.objects.filter(pk__in=ids).update(pm_unread=Coalesce(Subquery(unread), 0))


def recount_unread(user_ids: Iterable[int] | None = None) -> int:
    """Rebuild ``User.pm_unread`` for ``user_ids`` (every member when ``None``); returns
    how many members were recounted. One transaction."""
    with transaction.atomic():
        if user_ids is None:
            ids = list(User.objects.values_list("pk", flat=True))
        else:
            ids = list(user_ids)
        for start in range(0, len(ids), 1000):
            _recount(ids[start : start + 1000])
    return len(ids)


# --- recipients and checks ----------------------------------------------------------------


def parse_names(text: str) -> list[str]:
    """Member names typed in one field, separated by commas (also 、，), semicolons or
    whitespace, each once, in order."""
    for sep in "，、;；\n\r\t":
        text = text.replace(sep, ",")
    names: list[str] = []
    for part in text.replace(" ", ",").split(","):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    return names


def find_recipients(names: Sequence[str]) -> list[User]:
    """The members named ``names`` (exact names), in the order given (one query).
    Raises ``ValidationError`` (code ``recipients``) when no name is given, (code
    ``unknown``) naming every name that is no member."""
    if not names:
        raise ValidationError(_("请填写收件人。"), code="recipients")
    found = {u.username: u for u in User.objects.filter(username__in=list(names))}
    unknown = [n for n in names if n not in found]
    if unknown:
        raise ValidationError(
            _("收件人 %(names)s 不存在。") % {"names": "、".join(unknown)}, code="unknown"
        )
    return [found[n] for n in names]


def _blocked_by(sender_id: int, user_ids: Iterable[int]) -> set[int]:
    return set(
        Block.objects.filter(owner_id__in=list(user_ids), blocked_id=sender_id).values_list(
            "owner_id", flat=True
        )
    )


def _closed_to_all(user_ids: Iterable[int]) -> set[int]:
    return set(
        PMSettings.objects.filter(
            user_id__in=list(user_ids), accept=PMSettings.Accept.NOBODY
        ).values_list("user_id", flat=True)
    )


def check_recipients(viewer: ViewerLike, recipients: Sequence[User]) -> None:
    """Raise ``ValidationError`` (code ``refused``, one message per refused member) when
    the viewer may not write to one of ``recipients`` (themselves, a locked account, a
    member who blocked them or accepts no messages), or (code ``too_many``) when they
    are more than :func:`max_members` − 1. Two queries."""
    v = as_viewer(viewer)
    if len(recipients) + 1 > max_members():
        raise ValidationError(
            _("一次最多发给 %(n)d 位会员。") % {"n": max_members() - 1}, code="too_many"
        )
    ids = [r.pk for r in recipients]
    blocked = _blocked_by(v.pk or 0, ids)
    closed = _closed_to_all(ids)
    errors = []
    for r in recipients:
        refusal = pm_recipient_refusal(
            v, r, blocked_by_recipient=r.pk in blocked, accepts_messages=r.pk not in closed
        )
        if refusal:
            errors.append(ValidationError(refusal, code="refused"))
    if errors:
        raise ValidationError(errors)


def _check_body(viewer, body: str, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValidationError(_("不支持的格式。"), code="body")
    if not body.strip():
        raise ValidationError(_("请填写短消息内容。"), code="empty")
    if has_control_chars(body):
        raise ValidationError(_("内容包含不允许的控制字符。"), code="body")
    markup.check_input(body, fmt, "pm")
    check_markup_rights(viewer, body, fmt)
    text = PostInput(body, fmt)
    for screener in posting_hooks.screeners():  # the censor word list (词语过滤)
        verdict = screener(None, text, edit=False)
        if verdict.hold_message:
            raise ValidationError(_("短消息包含需要审核的内容，不能发送。"), code="censor")
        text = verdict.body
    return text.source


def _check_rate(v) -> None:
    if v.is_staff_moderator:
        return
    count, seconds = _rate()
    if count <= 0 or seconds <= 0:
        return
    cache = shared_cache()
    key = f"pms:rate:{v.pk}"
    cache.add(key, 0, seconds)
    try:
        n = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        n = 1
    if n > count:
        raise ValidationError(
            _("您发送短消息太快了，请在 %(n)d 秒后再试。") % {"n": seconds}, code="rate"
        )


def sent_in_last_day(user_id: int, now: datetime) -> int:
    """Messages ``user_id`` wrote in the 24 hours before ``now`` (one query)."""
    return Message.objects.filter(
        author_id=user_id, created__gt=now - timedelta(days=1), system=""
    ).count()


# --- writing ------------------------------------------------------------------------------


def _excerpt(source: str, fmt: str) -> str:
    return markup.excerpt(" ".join(markup.render_plain(source, fmt).split()), EXCERPT_LENGTH)


def _one_to_one(a: int, b: int) -> Conversation | None:
    """The one-to-one conversation of members ``a`` and ``b`` (UCenter ``min_max``)."""
    return (
        Conversation.objects.filter(is_group=False, participants__user_id=a)
        .filter(participants__user_id=b)
        .order_by("pk")
        .first()
    )


def send_message(
    sender: ViewerLike,
    body: str,
    *,
    recipients: Sequence[User] | None = None,
    conversation: Conversation | None = None,
    fmt: str = "bbcode",
    subject: str = "",
    now: datetime | None = None,
    attachment_ids: Sequence[int] = (),
    uploads: tuple = (),
) -> SendResult:
    """Send a private message from ``sender`` (a ``User`` or ``Viewer``).

    Give exactly one of ``recipients`` (members other than the sender; one recipient
    continues the pair's existing one-to-one conversation, several start a group
    conversation titled ``subject``) or ``conversation`` (a reply; the sender must take
    part in it, else ``Http404``). ``body`` is BBCode or Markdown (``fmt``). The rules
    and errors are in the module docstring; ``PermissionDenied`` when the sender may
    not send at all. Every other member of the conversation gets it unread (and shown
    again if they had deleted it) and a 提醒 of kind ``pm``. ``attachment_ids`` (the
    sender's earlier unbound uploads) and ``uploads`` (files the form stored) are bound
    to the message through the attachment service
    (:func:`luntan.threads.posting.hooks.message_attachments`; its ``ValidationError``
    refuses the whole message). Returns a :class:`SendResult`. One transaction; ``now``
    (UTC) for tests and imports.
    """
    v = as_viewer(sender)
    if (recipients is None) == (conversation is None):
        raise ValueError("give exactly one of recipients or conversation")
    check_send_pm(v)
    user = v.member
    assert user is not None
    now = now or timezone.now()
    subject = " ".join(subject.split())
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise ValidationError(
            _("标题不能超过 %(n)d 个字符。") % {"n": SUBJECT_MAX_LENGTH}, code="subject"
        )
    if conversation is not None:
        _conv, participant = get_conversation(v, conversation.pk)
        others = list(
            User.objects.filter(pm_participations__conversation_id=conversation.pk).exclude(
                pk=user.pk
            )
        )
        if not _conv.is_group:
            # A reply to a one-to-one conversation follows the same recipient rules.
            check_recipients(v, others)
    else:
        assert recipients is not None
        unique: list[User] = []
        for r in recipients:
            if r.pk not in {u.pk for u in unique}:
                unique.append(r)
        if not unique:
            raise ValidationError(_("请填写收件人。"), code="recipients")
        check_recipients(v, unique)
        others = unique
    source = _check_body(v, body, fmt)
    _check_rate(v)
    limit = daily_pm_limit(v)
    with transaction.atomic():
        # Lock the members in id order: the sender's row serialises the daily limit,
        # the recipients' rows their unread counts.
        locked_ids = sorted({user.pk, *(o.pk for o in others)})
        list(User.objects.select_for_update().filter(pk__in=locked_ids).order_by("pk").values("pk"))
        if limit and sent_in_last_day(user.pk, now) >= limit:
            raise ValidationError(
                _("您所在的用户组每 24 小时最多发送 %(n)d 条短消息，请稍后再发。") % {"n": limit},
                code="daily_limit",
            )
        created = False
        conv = conversation
        if conv is None and len(others) == 1:
            conv = _one_to_one(user.pk, others[0].pk)
        if conv is None:
            created = True
            conv = Conversation.objects.create(
                subject=subject if len(others) > 1 else "",
                author=user,
                is_group=len(others) > 1,
                created=now,
                last_message_at=now,
            )
            Participant.objects.bulk_create(
                Participant(conversation=conv, user_id=uid, last_message_at=now, joined=now)
                for uid in [user.pk, *(o.pk for o in others)]
            )
        message = Message.objects.create(
            conversation=conv,
            author=user,
            author_name=user.username,
            source=source,
            format=fmt,
            html=markup.render(source, fmt),
            renderer_version=markup.RENDERER_VERSION,
            created=now,
        )
        if attachment_ids or uploads:
            provider = posting_hooks.message_attachments()
            if provider is None:
                raise ValidationError(_("不能上传附件。"), code="attachments")
            provider.bind(message, list(attachment_ids), user, tuple(uploads))
        Conversation.objects.filter(pk=conv.pk).update(
            last_message_at=now,
            last_author_name=user.username,
            last_excerpt=_excerpt(source, fmt),
            message_count=F("message_count") + 1,
        )
        Participant.objects.filter(conversation=conv).exclude(user_id=user.pk).update(
            unread=True, hidden=False, last_message_at=now
        )
        Participant.objects.filter(conversation=conv, user_id=user.pk).update(
            hidden=False, last_message_at=now, unread=False
        )
        _recount(locked_ids)
        _notify(user, conv, [o.pk for o in others], now)
    conv.refresh_from_db()
    return SendResult(conv, message, created)


def _notify(sender: User, conv: Conversation, recipient_ids: list[int], now: datetime) -> None:
    notify_pm(
        recipient_ids,
        actor=sender,
        url=reverse("pms:conversation", args=[conv.pk]),
        now=now,
    )


def _system_line(conv_id: int, member: User, kind: str, now: datetime) -> Message:
    """Write the system line "X 加入/退出了会话" (``kind``: :class:`Message.System`) of
    ``member`` into conversation ``conv_id``: shown in the conversation, not counted in
    the daily limit, the inbox excerpt or the unread state."""
    return Message.objects.create(
        conversation_id=conv_id,
        author=member,
        author_name=member.username,
        source="",
        format="bbcode",
        html="",
        renderer_version=markup.RENDERER_VERSION,
        created=now,
        system=kind,
    )


def can_add_members(participant: Participant) -> bool:
    """May the member of ``participant`` add members to its conversation? The founder
    of a group conversation (UCenter ``appendchatpm``: only the ``authorid`` of the
    ``pm_lists`` row). No query (``participant.conversation`` joined)."""
    conv = participant.conversation
    return conv.is_group and conv.author_id == participant.user_id


def add_members(
    viewer: ViewerLike, conversation_id: int, users: Sequence[User], *, now: datetime | None = None
) -> list[User]:
    """Add ``users`` to group conversation ``conversation_id`` (邀请成员): only its
    founder (:func:`can_add_members`; ``PermissionDenied`` otherwise, ``Http404`` for
    who is not in it), who may send messages at all; the new members follow the
    recipient rules (:func:`check_recipients`: nobody who blocked the founder or accepts
    no messages) and the conversation stays within :func:`max_members` members
    (Discuz!'s ``chatpmmemberlimit``; ``ValidationError`` code ``too_many``). Members
    already in it are skipped (``ValidationError`` code ``recipients`` when nobody is
    left). Each new member sees the messages from their joining on (not the earlier
    ones), gets the conversation unread and a 提醒 of kind ``pm``; a system line "X
    加入了会话" is written for each. One transaction; returns the members added."""
    v = as_viewer(viewer)
    check_send_pm(v)
    now = now or timezone.now()
    conv, participant = get_conversation(v, conversation_id)
    if not can_add_members(participant):
        raise PermissionDenied(_("只有群聊的发起人可以邀请成员。"))
    with transaction.atomic():
        # The conversation row is locked first, so two invitations at once are decided one
        # after the other: the second sees the first's members (no duplicate membership,
        # no going past the member limit).
        list(type(conv).objects.select_for_update().filter(pk=conv.pk).values("pk"))
        current = {uid for uid, _n in member_names([conv.pk]).get(conv.pk, [])}
        new: list[User] = []
        for u in users:
            if u.pk not in current and u.pk not in {n.pk for n in new}:
                new.append(u)
        if not new:
            raise ValidationError(_("这些会员已经在会话中。"), code="recipients")
        if len(current) + len(new) > max_members():
            raise ValidationError(
                _("群聊最多 %(n)d 位成员。") % {"n": max_members()}, code="too_many"
            )
        check_recipients(v, new)
        ids = sorted(u.pk for u in new)
        list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        last = (
            Message.objects.filter(conversation_id=conv.pk)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        ) or 0
        Participant.objects.bulk_create(
            Participant(
                conversation_id=conv.pk,
                user_id=u.pk,
                unread=True,
                last_message_at=now,
                joined=now,
                cleared_before=last,
            )
            for u in new
        )
        for u in new:
            _system_line(conv.pk, u, Message.System.JOIN, now)
        _recount(ids)
        _notify(v.member, conv, ids, now)  # type: ignore[arg-type]
    return new


def leave_conversation(user: User, conversation_id: int, *, now: datetime | None = None) -> None:
    """退出 a group conversation (UCenter ``quitchatpm``): ``user``'s membership is
    removed, so they see it no more and get no further messages or 提醒; a system line
    "X 退出了会话" tells the others (who are not made unread by it). A founder who leaves
    leaves nobody to add members. ``Http404`` when they are not in it,
    ``ValidationError`` (code ``group``) for a one-to-one conversation (删除 it instead).
    One transaction."""
    now = now or timezone.now()
    conv, _participant = get_conversation(user, conversation_id)
    if not conv.is_group:
        raise ValidationError(_("只能退出群聊；一对一的会话请删除。"), code="group")
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=user.pk).values("pk"))
        deleted, _rows = Participant.objects.filter(
            conversation_id=conv.pk, user_id=user.pk
        ).delete()
        if not deleted:
            raise Http404(_("该短消息不存在或已被删除。"))
        _system_line(conv.pk, user, Message.System.LEAVE, now)
        _recount([user.pk])


def mark_read(user: User, conversation_id: int) -> bool:
    """Mark ``user``'s copy of the conversation read; True when it was unread. Their
    unread count follows."""
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=user.pk).values("pk"))
        changed = Participant.objects.filter(
            conversation_id=conversation_id, user_id=user.pk, unread=True
        ).update(unread=False)
        if changed:
            _recount([user.pk])
    if changed:
        user.pm_unread = max(user.pm_unread - 1, 0)
    return bool(changed)


def delete_for_me(user: User, conversation_id: int) -> None:
    """删除 for ``user`` only: the conversation leaves their inbox and its messages so far
    stay hidden for them; the other members keep theirs. A later message shows the
    conversation again with only the new messages. ``Http404`` when they are not in it."""
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=user.pk).values("pk"))
        last = (
            Message.objects.filter(conversation_id=conversation_id)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        ) or 0
        changed = Participant.objects.filter(
            conversation_id=conversation_id, user_id=user.pk
        ).update(hidden=True, unread=False, cleared_before=last)
        if not changed:
            raise Http404(_("该短消息不存在或已被删除。"))
        _recount([user.pk])


def block(owner: User, blocked: User, *, now: datetime | None = None) -> Block:
    """Put ``blocked`` on ``owner``'s blacklist (黑名单); twice keeps one row. Raises
    ``ValidationError`` (code ``self``) for oneself."""
    if owner.pk == blocked.pk:
        raise ValidationError(_("不能把自己加入黑名单。"), code="self")
    with transaction.atomic():
        row, _created = Block.objects.get_or_create(
            owner=owner, blocked=blocked, defaults={"created": now or timezone.now()}
        )
    return row


def unblock(owner: User, blocked_id: int) -> bool:
    """Take member ``blocked_id`` off ``owner``'s blacklist; True when they were on it."""
    with transaction.atomic():
        deleted, _rows = Block.objects.filter(owner=owner, blocked_id=blocked_id).delete()
    return bool(deleted)


def blocked_members(owner: User) -> QuerySet[Block]:
    """``owner``'s blacklist, newest first, ``blocked`` joined."""
    return Block.objects.filter(owner=owner).select_related("blocked").order_by("-created")


def accept_setting(user: User) -> str:
    """``user``'s :class:`PMSettings.Accept` value (everyone when never set)."""
    return (
        PMSettings.objects.filter(user=user).values_list("accept", flat=True).first()
        or PMSettings.Accept.EVERYONE
    )


def set_accept(user: User, accept: str) -> None:
    """Set who may write to ``user`` (a :class:`PMSettings.Accept` value; ``ValueError``
    otherwise)."""
    if accept not in PMSettings.Accept.values:
        raise ValueError(accept)
    with transaction.atomic():
        PMSettings.objects.update_or_create(user=user, defaults={"accept": accept})


def reportable_message(viewer: ViewerLike, message_id: int) -> Message:
    """Message ``message_id`` when the viewer may see (and so report) it: they take part
    in its conversation and did not delete it; ``Http404`` otherwise. Two queries."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise Http404(_("该短消息不存在或已被删除。"))
    _conv, participant = get_conversation(viewer, message.conversation_id)
    if (
        message.pk <= participant.cleared_before
        or message.hidden_for_id == participant.user_id
        or message.system
    ):
        raise Http404(_("该短消息不存在或已被删除。"))
    return message


def report_message(reporter: ViewerLike, message_id: int, reason: str):
    """举报 message ``message_id`` to the moderators' report queue
    (:func:`luntan.moderation.posts.report_content`); the reporter must take part in its
    conversation (``Http404`` otherwise). Returns the report row; reporting twice keeps
    one."""
    v = as_viewer(reporter)
    message = reportable_message(v, message_id)
    if message.author_id == v.pk:
        raise PermissionDenied(_("不能举报自己的短消息。"))
    return report_content(
        kind="pm",
        object_id=message.pk,
        author_name=message.author_name,
        excerpt=_excerpt(message.source, message.format),
        url=reverse("pms:reported", args=[message.pk]),
        reporter=v.member,
        reason=reason,
    )


def reported_message(viewer: ViewerLike, message_id: int) -> Message:
    """A message shown to staff from the report queue (``Http404`` unless the viewer may
    read reported messages and it was reported)."""
    if not can_read_reported_pm(viewer):
        raise Http404
    if not ContentReport.objects.filter(kind="pm", object_id=message_id).exists():
        raise Http404
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise Http404
    return message


__all__ = [
    "ImportedConversation",
    "ImportedMessage",
    "ImportedNotice",
    "SendResult",
    "accept_setting",
    "add_members",
    "block",
    "blocked_members",
    "check_recipients",
    "conversation_messages",
    "delete_for_me",
    "find_recipients",
    "finish_import",
    "get_conversation",
    "import_blocks",
    "import_conversations",
    "import_legacy_messages",
    "import_messages",
    "import_system_notices",
    "leave_conversation",
    "list_conversations",
    "mark_read",
    "member_names",
    "parse_names",
    "rate_window_seconds",
    "recount_unread",
    "report_message",
    "reportable_message",
    "reported_message",
    "send_message",
    "set_accept",
    "system_notices",
    "unblock",
    "unread_count",
]


# --- import (Discuz! UCenter) ----------------------------------------------------------------


@dataclass(frozen=True)
class ImportedConversation:
    """One UCenter ``pm_lists`` row for :func:`import_conversations`: ``plid``, whether
    it ``is_group`` (``pmtype`` 2), ``subject`` (plain text; kept for groups), the luntan
    ``author_id`` (or ``None``), ``created`` (UTC) and its ``members``: ``(user id,
    unread, last_message_at)`` from ``pm_members`` (``isnew``, ``lastdateline``)."""

    plid: int
    is_group: bool
    subject: str
    author_id: int | None
    created: datetime
    members: tuple[tuple[int, bool, datetime], ...]


@dataclass(frozen=True)
class ImportedMessage:
    """One UCenter ``pm_messages_N`` row for :func:`import_messages`: ``pmid``, its
    ``plid``, the luntan ``author_id`` (or ``None``) and ``author_name``, the BBCode
    ``source``, ``created`` (UTC) and ``hidden_for_id`` (the member who deleted it,
    from ``delstatus``)."""

    pmid: int
    plid: int
    author_id: int | None
    author_name: str
    source: str
    created: datetime
    hidden_for_id: int | None = None


def import_conversations(rows: Sequence[ImportedConversation]) -> tuple[int, int]:
    """Create or update the conversations of ``rows`` by ``plid`` and their members
    (a member's unread flag and last message time are taken from the row). One
    transaction and a fixed number of queries per call (bulk inserts; one ``UPDATE``
    per changed row only); returns ``(created, updated)``."""
    if not rows:
        return 0, 0
    created = updated = 0
    with transaction.atomic():
        have = {
            c.discuz_plid: c
            for c in Conversation.objects.filter(discuz_plid__in=[r.plid for r in rows])
        }
        new = []
        for r in rows:
            subject = r.subject[:SUBJECT_MAX_LENGTH] if r.is_group else ""
            conv = have.get(r.plid)
            if conv is None:
                new.append(
                    Conversation(
                        discuz_plid=r.plid,
                        is_group=r.is_group,
                        subject=subject,
                        author_id=r.author_id,
                        created=r.created,
                        last_message_at=r.created,
                    )
                )
            elif (conv.is_group, conv.subject) != (r.is_group, subject):
                Conversation.objects.filter(pk=conv.pk).update(is_group=r.is_group, subject=subject)
                updated += 1
        if new:
            Conversation.objects.bulk_create(new)
            created = len(new)
            # pks from the database (bulk_create returns them on PostgreSQL and SQLite
            # ≥ 3.35, but read them back so no backend detail matters).
            have.update(
                {
                    c.discuz_plid: c
                    for c in Conversation.objects.filter(
                        discuz_plid__in=[c.discuz_plid for c in new]
                    )
                }
            )
        conv_ids = {r.plid: have[r.plid].pk for r in rows}
        existing = {
            (conv, uid): (unread, last)
            for conv, uid, unread, last in Participant.objects.filter(
                conversation_id__in=set(conv_ids.values())
            ).values_list("conversation_id", "user_id", "unread", "last_message_at")
        }
        add = []
        for r in rows:
            conv_id = conv_ids[r.plid]
            for uid, unread, last in r.members:
                old = existing.get((conv_id, uid))
                if old is None:
                    existing[(conv_id, uid)] = (unread, last)
                    add.append(
                        Participant(
                            conversation_id=conv_id,
                            user_id=uid,
                            unread=unread,
                            last_message_at=last,
                            joined=r.created,
                        )
                    )
                elif old != (unread, last):
                    Participant.objects.filter(conversation_id=conv_id, user_id=uid).update(
                        unread=unread, last_message_at=last
                    )
        Participant.objects.bulk_create(add, batch_size=1000)
    return created, updated


def import_messages(rows: Sequence[ImportedMessage]) -> tuple[int, int]:
    """Create the messages of ``rows`` not imported yet (by ``pmid``), rendered; a
    message whose source changed is rendered again. Rows of unknown conversations must
    be left out by the caller. One transaction; returns ``(created, updated)``."""
    if not rows:
        return 0, 0
    convs = dict(
        Conversation.objects.filter(discuz_plid__in={r.plid for r in rows}).values_list(
            "discuz_plid", "pk"
        )
    )
    created = updated = 0
    with transaction.atomic():
        have = {
            m.discuz_pmid: m
            for m in Message.objects.filter(discuz_pmid__in=[r.pmid for r in rows]).only(
                "pk", "discuz_pmid", "source", "hidden_for_id"
            )
        }
        new = []
        for r in rows:
            old = have.get(r.pmid)
            if old is not None:
                if old.source != r.source or old.hidden_for_id != r.hidden_for_id:
                    Message.objects.filter(pk=old.pk).update(
                        source=r.source,
                        html=markup.render(r.source, "bbcode"),
                        renderer_version=markup.RENDERER_VERSION,
                        hidden_for_id=r.hidden_for_id,
                    )
                    updated += 1
                continue
            new.append(
                Message(
                    discuz_pmid=r.pmid,
                    conversation_id=convs[r.plid],
                    author_id=r.author_id,
                    author_name=r.author_name[:32],
                    source=r.source,
                    format="bbcode",
                    html=markup.render(r.source, "bbcode"),
                    renderer_version=markup.RENDERER_VERSION,
                    created=r.created,
                    hidden_for_id=r.hidden_for_id,
                )
            )
        Message.objects.bulk_create(new)
        created = len(new)
    return created, updated


def finish_import(plids: Iterable[int] | None = None, conversation_ids: Iterable[int] = ()) -> None:
    """After an import: each imported conversation's message count, last message
    time, author and excerpt from its messages, and every member's unread count
    (:func:`recount_unread`). ``plids`` limits it to those conversations;
    ``conversation_ids`` (luntan ids: the legacy ``pms`` import's) are added. Two
    queries per 500 conversations and an ``UPDATE`` only for those whose values changed."""
    convs = Conversation.objects.filter(discuz_plid__isnull=False)
    if plids is not None:
        convs = convs.filter(discuz_plid__in=list(plids))
    ids = sorted(set(convs.values_list("pk", flat=True)) | set(conversation_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        with transaction.atomic():
            counts: dict[int, int] = {}
            last: dict[int, tuple] = {}
            # Newest first per conversation: the first row seen is its last message;
            # system lines are not counted as messages.
            for conv_id, created, author_name, source, fmt, system in (
                Message.objects.filter(conversation_id__in=chunk)
                .order_by("conversation_id", "-created", "-pk")
                .values_list(
                    "conversation_id", "created", "author_name", "source", "format", "system"
                )
            ):
                counts[conv_id] = counts.get(conv_id, 0) + (system == "")
                if conv_id not in last:
                    last[conv_id] = (created, author_name, source, fmt)
            stored = {
                c[0]: c[1:]
                for c in Conversation.objects.filter(pk__in=list(last)).values_list(
                    "pk", "message_count", "last_message_at", "last_author_name", "last_excerpt"
                )
            }
            changed = []
            for conv_id, (created, author_name, source, fmt) in last.items():
                want = (counts[conv_id], created, author_name, _excerpt(source, fmt))
                if stored.get(conv_id) != want:
                    changed.append(
                        Conversation(
                            pk=conv_id,
                            message_count=want[0],
                            last_message_at=want[1],
                            last_author_name=want[2],
                            last_excerpt=want[3],
                        )
                    )
            update_rows(
                Conversation,
                changed,
                ["message_count", "last_message_at", "last_author_name", "last_excerpt"],
            )
    users = Participant.objects.filter(conversation_id__in=ids).values_list("user_id", flat=True)
    recount_unread(set(users))


@dataclass(frozen=True)
class ImportedNotice:
    """One Discuz! ``common_grouppm`` row with its recipients from
    ``common_member_grouppm``: ``discuz_id``, ``author_name``, the BBCode ``source``,
    ``created`` (UTC) and ``recipients`` ``(user id, read)``."""

    discuz_id: int
    author_name: str
    source: str
    created: datetime
    recipients: tuple[tuple[int, bool], ...]


def import_system_notices(rows: Sequence[ImportedNotice]) -> tuple[int, int]:
    """Create or update the 系统消息 of ``rows`` by ``discuz_id`` and add their missing
    recipients. One transaction; returns ``(created, updated)``."""
    created = updated = 0
    with transaction.atomic():
        for r in rows:
            html = markup.render(r.source, "bbcode")
            notice, made = SystemNotice.objects.update_or_create(
                discuz_id=r.discuz_id,
                defaults={"author_name": r.author_name[:32], "html": html, "created": r.created},
            )
            created += made
            updated += not made
            have = set(
                SystemNoticeRecipient.objects.filter(notice=notice).values_list(
                    "user_id", flat=True
                )
            )
            SystemNoticeRecipient.objects.bulk_create(
                SystemNoticeRecipient(notice=notice, user_id=uid, read=read)
                for uid, read in r.recipients
                if uid not in have
            )
    return created, updated


def system_notices(user: User, limit: int = 5, offset: int = 0) -> list[SystemNoticeRecipient]:
    """The newest 系统消息 of ``user``, ``limit`` of them from the ``offset``-th (with
    ``notice`` joined; one query)."""
    return list(
        SystemNoticeRecipient.objects.filter(user=user)
        .select_related("notice")
        .order_by("-notice__created", "-pk")[offset : offset + limit]
    )


def count_system_notices(user: User) -> int:
    """How many 系统消息 ``user`` received (one query)."""
    return SystemNoticeRecipient.objects.filter(user=user).count()


@dataclass(frozen=True)
class ImportedLegacyPM:
    """One row of UCenter 1.x's legacy ``pms`` table for :func:`import_legacy_messages`:
    its ``pmid``, the luntan ``sender_id`` and ``recipient_id``, ``author_name``, the
    BBCode ``source`` (the old ``subject`` already put in front by the importer),
    ``created`` (UTC), ``unread`` (``new`` = 1) and ``hidden_for_id`` (the member who
    deleted it, from ``delstatus``)."""

    pmid: int
    sender_id: int
    recipient_id: int
    author_name: str
    source: str
    created: datetime
    unread: bool = False
    hidden_for_id: int | None = None


@dataclass
class LegacyImportResult:
    """What :func:`import_legacy_messages` did: messages ``created``, ``duplicates``
    (already there from ``pm_messages_N``: the UCenter 1.6 upgrade copied them) and the
    luntan ids of the conversations it touched (for :func:`finish_import`)."""

    created: int = 0
    duplicates: int = 0
    conversation_ids: set[int] | None = None


def import_legacy_messages(rows: Sequence[ImportedLegacyPM]) -> LegacyImportResult:
    """Import legacy one-to-one messages (UCenter 1.x ``pms``): each goes into the
    pair's one-to-one conversation (the one ``pm_lists`` brought, or a new one), its
    members added when missing; the recipient's copy is unread when ``unread``. A row
    imported before (by ``pmid``) is left alone; a message with the same author, time
    and text already in the conversation is counted as a duplicate, not written again.
    One transaction; call :func:`finish_import` with the returned conversation ids."""
    result = LegacyImportResult(conversation_ids=set())
    assert result.conversation_ids is not None
    if not rows:
        return result
    with transaction.atomic():
        have = set(
            Message.objects.filter(discuz_legacy_pmid__in=[r.pmid for r in rows]).values_list(
                "discuz_legacy_pmid", flat=True
            )
        )
        convs: dict[tuple[int, int], Conversation] = {}
        for r in rows:
            if r.pmid in have:
                continue
            pair = (min(r.sender_id, r.recipient_id), max(r.sender_id, r.recipient_id))
            conv = convs.get(pair)
            if conv is None:
                conv = _one_to_one(*pair)
                if conv is None:
                    conv = Conversation.objects.create(
                        author_id=r.sender_id,
                        is_group=False,
                        created=r.created,
                        last_message_at=r.created,
                    )
                convs[pair] = conv
            for uid in pair:
                Participant.objects.get_or_create(
                    conversation=conv,
                    user_id=uid,
                    defaults={"last_message_at": r.created, "joined": r.created},
                )
            result.conversation_ids.add(conv.pk)
            if Message.objects.filter(
                conversation=conv, author_id=r.sender_id, created=r.created, source=r.source
            ).exists():
                result.duplicates += 1
                continue
            Message.objects.create(
                discuz_legacy_pmid=r.pmid,
                conversation=conv,
                author_id=r.sender_id,
                author_name=r.author_name[:32],
                source=r.source,
                format="bbcode",
                html=markup.render(r.source, "bbcode"),
                renderer_version=markup.RENDERER_VERSION,
                created=r.created,
                hidden_for_id=r.hidden_for_id,
            )
            result.created += 1
            Participant.objects.filter(
                conversation=conv, user_id__in=pair, last_message_at__lt=r.created
            ).update(last_message_at=r.created)
            if r.unread and r.hidden_for_id != r.recipient_id:
                Participant.objects.filter(conversation=conv, user_id=r.recipient_id).update(
                    unread=True
                )
    return result


def import_blocks(
    pairs: Sequence[tuple[int, int]], closed: Sequence[int] = (), *, now: datetime | None = None
) -> tuple[int, int]:
    """Import blacklists (UCenter ``memberfields.blacklist``): ``pairs`` are ``(owner
    id, blocked id)`` → :class:`Block` rows (existing ones kept); ``closed`` are members
    whose list was ``{ALL}`` (nobody may write to them) → :class:`PMSettings`
    ``nobody``. One transaction; returns ``(blocks created, members closed)``."""
    now = now or timezone.now()
    created = 0
    with transaction.atomic():
        wanted = {(o, b) for o, b in pairs if o != b}
        if wanted:
            owners = {o for o, _b in wanted}
            have = set(
                Block.objects.filter(owner_id__in=owners).values_list("owner_id", "blocked_id")
            )
            new = [Block(owner_id=o, blocked_id=b, created=now) for o, b in sorted(wanted - have)]
            Block.objects.bulk_create(new)
            created = len(new)
        changed = 0
        for uid in sorted(set(closed)):
            PMSettings.objects.update_or_create(
                user_id=uid, defaults={"accept": PMSettings.Accept.NOBODY}
            )
            changed += 1
    return created, changed
