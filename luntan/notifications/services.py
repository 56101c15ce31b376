"""Writing and reading notifications (提醒).

- :func:`notify` — one notice of any kind to one member (the entry point for other
  apps); :func:`notify_pm` / :func:`mark_pm_read` — 短消息 notices (``luntan.pms``).
- :func:`notify_post` — who hears of a new visible post, called from the posting hook
  (a counted post) and from moderation's approval hook (a held post, once approved).
- :func:`notify_rating` / :func:`notify_moderation` — a rating of the member's post, a
  moderator's action on their content (hooks registered in ``apps.py``).
- :func:`save_settings` / :func:`unsubscribe` — the member's per-kind channels.
- :func:`mark_read` — 标为已读 (one thread's notices, or all).
- :func:`unread_count` — the header bell's number, cached per member.
- :func:`import_notifications` — Discuz! ``home_notification`` rows (the importer).

Rules (Discuz! X3.4 ``post_newreply.php`` / ``notification_add``): the actor is never
told about their own post; a member is told only about threads they may read now
(:func:`luntan.permissions.can_view_thread` with a :class:`~luntan.permissions.viewer.
Viewer` for them: no board password unlocked, so a password board notifies only its
moderators); a post gives each member at most one notice, the most specific kind
(mention, then quote, then reply to their thread, then reply to a followed thread).
Notices carry no excerpt of the post (hidden or password content can't leak through
them); the page links to the floor, which applies the thread page's own rules. Every
kind honours the recipient's channel (:class:`~luntan.notifications.models.Channel`):
``off`` writes nothing; ``email`` also mails the notice through the task queue (at once,
or in the daily digest, :mod:`luntan.notifications.mail`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from luntan.accounts.models import User
from luntan.notifications.models import Channel, Digest, Notification, NotificationSettings
from luntan.permissions.notifications import may_read_for_notice
from luntan.permissions.viewer import Viewer
from luntan.threads.mentions import MAX_MENTIONS
from luntan.threads.models import Post, Thread

Kind = Notification.Kind

#: Seconds the bell's count stays cached; any change deletes the key at once.
UNREAD_CACHE_SECONDS = 24 * 3600

# Links written by luntan.threads.mentions.link_mentions.
_BB_MENTION = re.compile(r"\[url=/u/([0-9]{1,18})/\]@", re.I)
_MD_MENTION = re.compile(r"\[@[^\]\n]+\]\(/u/([0-9]{1,18})/\)")
_BB_QUOTE = re.compile(r"\[quote(?:=[^\]]*)?\](?:(?!\[quote).)*?\[/quote\]", re.I | re.S)
_MD_QUOTE_LINE = re.compile(r"^ {0,3}>.*$", re.M)
# The header of a quote written by luntan.markup.quoting.quote_source: the quoted post.
_QUOTED_POST = re.compile(r"^\[quote\]\[size=2\]\[url=/p/([0-9]{1,18})/\]")


def _cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def _forget_counts(user_ids: Iterable[int]) -> None:
    keys = [_cache_key(uid) for uid in set(user_ids)]
    if keys:
        # Now (this request's own next read) and after commit (a page that cached the old
        # count while the transaction was open).
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def channel_of(member: User, kind: str) -> str:
    """``member``'s :class:`Channel` value for ``kind``. Reads
    ``member.notification_settings`` (no query when it was ``select_related``; a member
    without a settings row has every kind ``site``)."""
    try:
        prefs = member.notification_settings  # type: ignore[attr-defined]
    except NotificationSettings.DoesNotExist:
        return Channel.SITE
    return prefs.channel(kind)


def _wants_immediate_mail(member: User, kind: str) -> bool:
    if channel_of(member, kind) != Channel.EMAIL or not member.email:
        return False
    try:
        return member.notification_settings.digest == Digest.IMMEDIATE  # type: ignore[attr-defined]
    except NotificationSettings.DoesNotExist:
        return True


def _after_write(rows: Sequence[Notification], members: dict[int, User]) -> None:
    """Forget the bell counts of ``rows``' recipients and queue the immediate mails after
    commit (rows from ``bulk_create(ignore_conflicts=True)`` have no id on PostgreSQL:
    they are found again by post and recipient)."""
    _forget_counts(n.recipient_id for n in rows)
    mailed = [n for n in rows if _wants_immediate_mail(members[n.recipient_id], n.kind)]
    if not mailed:
        return
    from luntan.notifications.tasks import mail_notices_task

    ids = [n.pk for n in mailed if n.pk is not None]
    by_post: list[list[int]] = []
    for n in mailed:
        if n.pk is None and n.post_id is not None:
            by_post.append([n.recipient_id, n.post_id])
    transaction.on_commit(lambda: mail_notices_task.enqueue(ids, by_post))


def notify(
    recipient: User | int,
    kind: str,
    *,
    actor: User | None = None,
    actor_name: str = "",
    thread: Thread | None = None,
    post: Post | None = None,
    url: str = "",
    extra: dict | None = None,
    banned: bool = False,
    now: datetime | None = None,
) -> Notification | None:
    """Give ``recipient`` (a member or their id) one notice of ``kind`` (a
    :class:`~luntan.notifications.models.Notification.Kind` value, e.g. ``Kind.PM``).

    ``actor``: who did it (its name is kept in ``actor_name``, default ``actor.username``);
    ``thread``/``post``: what it is about; ``url``: a site path for a notice without a
    thread (a PM conversation, ``"/pm/3/"``), grouped by it on the page; ``extra``: the
    kind's facts (see ``Notification.extra``; JSON); ``banned``: the post is 屏蔽 (the
    caller knows). Returns the notice, or ``None`` when nothing was written: the
    recipient is the actor, inactive or unknown, chose ``off`` for ``kind``, or may not
    read the thread/post (:func:`luntan.permissions.notifications.may_read_for_notice`).
    Runs in the caller's transaction (or its own); mails go out after commit. Queries:
    the member with their settings, the thread's boards when ``thread`` is given without
    them, one insert."""
    now = now or timezone.now()
    uid = recipient if isinstance(recipient, int) else recipient.pk
    actor_id = actor.pk if actor is not None else None
    if not uid or uid == actor_id:
        return None
    member = (
        User.objects.filter(pk=uid, is_active=True).select_related("notification_settings").first()
    )
    if member is None or channel_of(member, kind) == Channel.OFF:
        return None
    if thread is not None:
        if post is not None and post.thread_id != thread.pk:
            raise ValueError("post is not in thread")
        if not may_read_for_notice(Viewer(member), thread, post, banned=banned):
            return None
    with transaction.atomic():
        notice = Notification.objects.create(
            recipient=member,
            kind=kind,
            actor_id=actor_id,
            actor_name=(actor_name or (actor.username if actor is not None else ""))[:32],
            thread=thread,
            post=post,
            url=url[:200],
            extra=extra or {},
            created=now,
        )
        _after_write([notice], {member.pk: member})
    return notice


def notify_pm(
    recipient_ids: Sequence[int], *, actor: User, url: str, now: datetime | None = None
) -> int:
    """Tell ``recipient_ids`` that ``actor`` sent them a private message (kind ``pm``)
    in the conversation at ``url``. An unread notice about the same conversation is not
    repeated (a chat of ten messages is one notice until it is read); members who set
    ``pm`` to ``off`` get none, those who set ``email`` also get a mail (after commit).
    Returns how many notices were written. Call it inside the sending transaction
    (luntan.pms). Queries: the members with their settings, the unread ones, one insert."""
    now = now or timezone.now()
    ids = [uid for uid in dict.fromkeys(recipient_ids) if uid and uid != actor.pk]
    if not ids:
        return 0
    members = {
        m.pk: m
        for m in User.objects.filter(pk__in=ids, is_active=True).select_related(
            "notification_settings"
        )
        if channel_of(m, Kind.PM) != Channel.OFF
    }
    if not members:
        return 0
    have = set(
        Notification.objects.filter(
            recipient_id__in=list(members), kind=Kind.PM, url=url, read_at__isnull=True
        ).values_list("recipient_id", flat=True)
    )
    rows = [
        Notification(
            recipient_id=uid,
            kind=Kind.PM,
            actor_id=actor.pk,
            actor_name=actor.username,
            url=url[:200],
            created=now,
        )
        for uid in ids
        if uid in members and uid not in have
    ]
    written = Notification.objects.bulk_create(rows)
    _after_write(written, members)
    return len(written)


def mark_pm_read(user: User, url: str, *, now: datetime | None = None) -> int:
    """Mark ``user``'s unread ``pm`` notices about the conversation at ``url`` read
    (opening the conversation reads them). Returns how many."""
    return mark_read(user, url=url, kind=Kind.PM, now=now)


def mentioned_ids(source: str, fmt: str) -> list[int]:
    """Ids of the members ``source`` (a stored post source in ``fmt``, ``"bbcode"`` or
    ``"markdown"``) mentions with the links :mod:`luntan.threads.mentions` writes,
    leaving out quoted text (a quote repeats someone else's mentions). At most
    :data:`~luntan.threads.mentions.MAX_MENTIONS`, in order of appearance. No query."""
    if fmt == Post.Format.MARKDOWN:
        text, pattern = _MD_QUOTE_LINE.sub("", source), _MD_MENTION
    else:
        text, pattern = source, _BB_MENTION
        while True:
            stripped = _BB_QUOTE.sub("", text)
            if stripped == text:
                break
            text = stripped
    found: list[int] = []
    for m in pattern.finditer(text):
        uid = int(m.group(1))
        if uid not in found:
            found.append(uid)
        if len(found) >= MAX_MENTIONS:
            break
    return found


def quoted_author_id(post: Post) -> int | None:
    """The author of the post that ``post`` (a BBCode reply) quotes, read from the quote
    header the posting pipeline wrote; ``None`` when it quotes nothing (a Markdown quote
    names no post). One query when there is a quote."""
    if post.format != Post.Format.BBCODE:
        return None
    m = _QUOTED_POST.match(post.source)
    if m is None:
        return None
    return (
        Post.objects.filter(pk=int(m.group(1)), thread_id=post.thread_id)
        .values_list("author_id", flat=True)
        .first()
    )


def notify_post(
    post: Post,
    *,
    quote_author_id: int | None = None,
    banned: bool = False,
    now: datetime | None = None,
) -> list[Notification]:
    """Tell members about ``post`` (visible, just written or approved): mentions in it,
    the author of the quoted post (``quote_author_id``), the thread's author (a reply)
    and the thread's followers (a reply), by the rules of the module docstring.

    Returns the notifications written (possibly none). Queries: the thread with its
    boards (none for a new thread mentioning nobody), the recipients (with the thread's
    followers, :class:`luntan.favorites.models.Follow`, in the same query), and one
    insert when someone is told. Call it inside the posting or approval transaction."""
    now = now or timezone.now()
    actor_id = post.author_id
    wanted: dict[int, str] = {}

    def add(uid: int | None, kind: str) -> None:
        if uid and uid != actor_id and uid not in wanted:
            wanted[uid] = kind

    for uid in mentioned_ids(post.source, post.format):
        add(uid, Kind.MENTION)
    reply = post.floor != 1
    if not reply and not wanted:
        return []
    thread = Thread.objects.select_related("board__parent__parent").get(pk=post.thread_id)
    members = User.objects.filter(is_active=True).select_related("notification_settings")
    if reply:
        add(quote_author_id, Kind.QUOTE)
        add(thread.author_id, Kind.REPLY)
        # The thread's followers (favorites.services.followers) in the same query.
        members = members.filter(Q(pk__in=list(wanted)) | Q(follows__thread_id=thread.pk))
        members = members.exclude(pk=actor_id or 0).distinct()
    else:
        members = members.filter(pk__in=list(wanted))
    told: dict[int, User] = {}
    rows = []
    for member in members.order_by("pk"):
        kind = wanted.get(member.pk, Kind.FOLLOW)
        if channel_of(member, kind) == Channel.OFF:
            continue
        if not may_read_for_notice(Viewer(member), thread, post, banned=banned):
            continue
        told[member.pk] = member
        rows.append(
            Notification(
                recipient_id=member.pk,
                kind=kind,
                actor_id=actor_id,
                actor_name=post.author_name,
                thread_id=thread.pk,
                post_id=post.pk,
                created=now,
            )
        )
    if not rows:
        return []
    # Inside the caller's transaction (posting or approval): no savepoint of its own.
    written = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    _after_write(written, told)
    return written


def mark_read(
    user: User,
    *,
    thread_id: int | None = None,
    url: str | None = None,
    notice_id: int | None = None,
    kind: str | None = None,
    now: datetime | None = None,
) -> int:
    """标为已读: mark ``user``'s unread notices read: one notice (``notice_id``), one
    group (``thread_id``, or ``url`` for notices without a thread such as a PM
    conversation), else all; only those of ``kind`` when given (``"pm"``). Another
    member's notice id marks nothing. Returns how many were marked (0 when nothing was
    unread)."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
        if notice_id is not None:
            rows = rows.filter(pk=notice_id)
        elif thread_id is not None:
            rows = rows.filter(thread_id=thread_id)
        elif url is not None:
            rows = rows.filter(thread__isnull=True, url=url)
        if kind is not None:
            rows = rows.filter(kind=kind)
        marked = rows.update(read_at=now)
        if marked:
            _forget_counts([user.pk])
    return marked


def unread_count(user_id: int) -> int:
    """How many unread notices member ``user_id`` has: from the cache, else one COUNT
    query (then cached for :data:`UNREAD_CACHE_SECONDS`; writes delete the key)."""
    key = _cache_key(user_id)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return int(count)


@dataclass(frozen=True)
class ImportedNotification:
    """One Discuz! ``home_notification`` row for :func:`import_notifications`: its
    ``discuz_id`` (``id``), the luntan ``recipient_id``, ``kind`` (a
    :class:`~luntan.notifications.models.Notification.Kind` value), ``thread_id``,
    ``post_id`` (or ``None``), ``actor_id`` (or ``None``), ``actor_name``, ``created``
    (UTC) and ``read`` (Discuz! ``new = 0``: read at ``created``)."""

    discuz_id: int
    recipient_id: int
    kind: str
    thread_id: int
    created: datetime
    read: bool
    actor_name: str = ""
    actor_id: int | None = None
    post_id: int | None = None


def import_notifications(rows: Sequence[ImportedNotification]) -> int:
    """Create the notifications of ``rows`` not imported yet (matched by ``discuz_id``;
    a row about a post the member already has a notice for is left out). One
    transaction; returns how many were created. The members' bell counts are refreshed."""
    if not rows:
        return 0
    with transaction.atomic():
        have = set(
            Notification.objects.filter(discuz_id__in=[r.discuz_id for r in rows]).values_list(
                "discuz_id", flat=True
            )
        )
        new = [
            Notification(
                discuz_id=r.discuz_id,
                recipient_id=r.recipient_id,
                kind=r.kind,
                actor_id=r.actor_id,
                actor_name=r.actor_name[:32],
                thread_id=r.thread_id,
                post_id=r.post_id,
                created=r.created,
                read_at=r.created if r.read else None,
            )
            for r in rows
            if r.discuz_id not in have
        ]
        before = Notification.objects.filter(discuz_id__in=[n.discuz_id for n in new]).count()
        Notification.objects.bulk_create(new, ignore_conflicts=True)
        created = (
            Notification.objects.filter(discuz_id__in=[n.discuz_id for n in new]).count() - before
        )
        _forget_counts(n.recipient_id for n in new)
    return created


#: Moderation actions a member hears of (``luntan.moderation.models.Action`` values):
#: the content is gone for the first two, so the notice names no thread the member may
#: no longer read.
GONE_ACTIONS = frozenset({"recycle", "delete_post"})
TOLD_ACTIONS = frozenset({"move", "close", "ban_post", "warn"}) | GONE_ACTIONS


def notify_rating(rating, credit_name: str = "") -> Notification | None:
    """评分: tell the author of ``rating.post`` (a :class:`luntan.credits.models.PostRating`)
    that ``rating.rater`` rated it, with the credit's name (``credit_name``, e.g. 威望), the
    score and the reason.
    Nothing for a post the author may not read now (a board they lost, a 屏蔽 post).
    Called from credits' ``on_rated`` hook inside the rating transaction."""
    from luntan.moderation.models import BannedPost

    post = rating.post
    if not post.author_id:
        return None
    thread = Thread.objects.select_related("board__parent__parent").get(pk=post.thread_id)
    return notify(
        post.author_id,
        Kind.RATE,
        actor=rating.rater,
        actor_name=rating.rater_name,
        thread=thread,
        post=post,
        extra={
            "credit": credit_name or str(rating.extcredit),
            "score": rating.score,
            "reason": rating.reason,
        },
        banned=BannedPost.objects.filter(post_id=post.pk).exists(),
        now=rating.created,
    )


def notify_moderation(
    action: str,
    *,
    thread: Thread,
    post: Post | None = None,
    actor: User | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Notification | None:
    """A moderator's ``action`` (a value of :data:`TOLD_ACTIONS`; others are ignored) on
    ``post`` (or on ``thread`` when ``post`` is ``None``): tell its author, with
    ``reason``. ``move``/``close``/``warn``/``ban_post`` are told only to an author who
    may still read the thread (a thread moved into a board they cannot see tells nothing;
    a 屏蔽 post is not linked); ``recycle``/``delete_post`` name the thread only when
    the author may still read it (a recycled thread of theirs: by its subject, no link).
    Returns the notice or ``None``. Called from moderation's ``on_moderated`` hook inside
    the moderator's transaction."""
    if action not in TOLD_ACTIONS:
        return None
    recipient_id = post.author_id if post is not None else thread.author_id
    if not recipient_id or (actor is not None and actor.pk == recipient_id):
        return None
    thread = Thread.objects.select_related("board__parent__parent").get(pk=thread.pk)
    extra: dict = {"action": action, "reason": reason[:255]}
    if post is not None:
        extra["floor"] = post.floor
    if action == "move":
        extra["board"] = thread.board.name
    if action in GONE_ACTIONS:
        gone_thread = action == "recycle" or (post is not None and post.floor == 1)
        if gone_thread:
            if thread.author_id == recipient_id:
                extra["subject"] = thread.subject  # their own words, no link
            return notify(recipient_id, Kind.MODERATION, actor=actor, extra=extra, now=now)
        member = User.objects.filter(pk=recipient_id).first()
        readable = member is not None and may_read_for_notice(Viewer(member), thread)
        return notify(
            recipient_id,
            Kind.MODERATION,
            actor=actor,
            thread=thread if readable else None,
            extra=extra,
            now=now,
        )
    # 屏蔽 and warnings name the floor; the notice links the thread, not the post.
    linked = post if action in ("warn",) else None
    return notify(
        recipient_id,
        Kind.MODERATION,
        actor=actor,
        thread=thread,
        post=linked,
        extra=extra,
        now=now,
    )


# --- preferences -----------------------------------------------------------------------


def get_settings(user: User) -> NotificationSettings:
    """``user``'s :class:`NotificationSettings`, or unsaved defaults (one query)."""
    found = NotificationSettings.objects.filter(user_id=user.pk).first()
    return found or NotificationSettings(user_id=user.pk)


def save_settings(
    user: User, *, channels: dict[str, str], digest: str, language: str
) -> NotificationSettings:
    """Save ``user``'s choices: ``channels`` ``{kind: channel}`` (unknown kinds or
    channels raise ``ValueError``; kinds left out stay ``site``), ``digest`` (a
    :class:`Digest` value) and the mail ``language`` (a code of ``settings.LANGUAGES``).
    Returns the saved row. One transaction."""
    from django.conf import settings as dj_settings

    if any(k not in Kind.values or v not in Channel.values for k, v in channels.items()):
        raise ValueError(f"bad channels {channels!r}")
    if digest not in Digest.values:
        raise ValueError(f"bad digest {digest!r}")
    if language not in {code for code, _name in dj_settings.LANGUAGES}:
        raise ValueError(f"bad language {language!r}")
    with transaction.atomic():
        row, _created = NotificationSettings.objects.update_or_create(
            user_id=user.pk,
            defaults={
                "channels": {k: v for k, v in channels.items() if v != Channel.SITE},
                "digest": digest,
                "language": language,
            },
        )
    return row


#: The ``kind`` of an unsubscribe link that stops every e-mail (the digest's header).
ALL_KINDS = "all"


def unsubscribe(user_id: int, kind: str) -> bool:
    """One-click unsubscribe (RFC 8058): member ``user_id`` gets no more mail for
    ``kind`` (its channel becomes ``site``; notices stay on the site), or for any kind
    when ``kind`` is :data:`ALL_KINDS`. Returns True when something changed."""
    if kind != ALL_KINDS and kind not in Kind.values:
        raise ValueError(f"bad kind {kind!r}")
    with transaction.atomic():
        row = NotificationSettings.objects.select_for_update().filter(user_id=user_id).first()
        if row is None:
            return False
        channels = dict(row.channels or {})
        kinds = [k for k, v in channels.items() if v == Channel.EMAIL]
        if kind != ALL_KINDS:
            kinds = [k for k in kinds if k == kind]
        if not kinds:
            return False
        for k in kinds:
            channels.pop(k, None)
        NotificationSettings.objects.filter(user_id=user_id).update(channels=channels)
    return True
