"""Writing and reading notifications (提醒).

- :func:`notify_post` — who hears of a new visible post, called from the posting hook
  (a counted post) and from moderation's approval hook (a held post, once approved).
- :func:`notify_pm` / :func:`mark_pm_read` — 短消息 notices (``luntan.pms``).
- :func:`mark_read` — 标为已读 (one thread's notices, the PM notices, or all).
- :func:`unread_count` — the header bell's number, cached per member.
- :func:`import_notifications` — Discuz! ``home_notification`` rows (the importer).

Rules (Discuz! X3.4 ``post_newreply.php`` / ``notification_add``): the actor is never
told about their own post; a member is told only about threads they may read now
(:func:`luntan.permissions.can_view_thread` with a :class:`~luntan.permissions.viewer.
Viewer` for them: no board password unlocked, so a password board notifies only its
moderators); a post gives each member at most one notice, the most specific kind
(mention, then quote, then reply to their thread, then reply to a followed thread).
Notices carry no excerpt of the post (hidden or password content can't leak through
them); the page links to the floor, which applies the thread page's own rules.
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
from luntan.notifications.models import Notification
from luntan.permissions import can_view_thread
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
    post: Post, *, quote_author_id: int | None = None, now: datetime | None = None
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
    members = User.objects.filter(is_active=True)
    if reply:
        add(quote_author_id, Kind.QUOTE)
        add(thread.author_id, Kind.REPLY)
        # The thread's followers (favorites.services.followers) in the same query.
        members = members.filter(Q(pk__in=list(wanted)) | Q(follows__thread_id=thread.pk))
        members = members.exclude(pk=actor_id or 0).distinct()
    else:
        members = members.filter(pk__in=list(wanted))
    rows = [
        Notification(
            recipient_id=member.pk,
            kind=wanted.get(member.pk, Kind.FOLLOW),
            actor_id=actor_id,
            actor_name=post.author_name,
            thread_id=thread.pk,
            post_id=post.pk,
            created=now,
        )
        for member in members.order_by("pk")
        if can_view_thread(Viewer(member), thread)
    ]
    if not rows:
        return []
    # Inside the caller's transaction (posting or approval): no savepoint of its own.
    written = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    _forget_counts(n.recipient_id for n in rows)
    return written


def mark_read(
    user: User,
    *,
    thread_id: int | None = None,
    kind: str | None = None,
    now: datetime | None = None,
) -> int:
    """标为已读: mark ``user``'s unread notices read, those about ``thread_id`` only when
    given, those of ``kind`` only when given (``"pm"``: the private message notices).
    Returns how many were marked (0 when nothing was unread)."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
        if thread_id is not None:
            rows = rows.filter(thread_id=thread_id)
        if kind is not None:
            rows = rows.filter(kind=kind)
        marked = rows.update(read_at=now)
        if marked:
            _forget_counts([user.pk])
    return marked


def notify_pm(
    recipient_ids: Sequence[int], *, actor: User, url: str, now: datetime | None = None
) -> int:
    """Tell ``recipient_ids`` that ``actor`` sent them a private message (kind ``pm``)
    in the conversation at ``url``. An unread notice about the same conversation is not
    repeated (a chat of ten messages is one notice until it is read). Returns how many
    notices were written. Call it inside the sending transaction (luntan.pms)."""
    now = now or timezone.now()
    ids = [uid for uid in dict.fromkeys(recipient_ids) if uid and uid != actor.pk]
    if not ids:
        return 0
    have = set(
        Notification.objects.filter(
            recipient_id__in=ids, kind=Kind.PM, url=url, read_at__isnull=True
        ).values_list("recipient_id", flat=True)
    )
    rows = [
        Notification(
            recipient_id=uid,
            kind=Kind.PM,
            actor_id=actor.pk,
            actor_name=actor.username,
            url=url,
            created=now,
        )
        for uid in ids
        if uid not in have
    ]
    Notification.objects.bulk_create(rows)
    _forget_counts(n.recipient_id for n in rows)
    return len(rows)


def mark_pm_read(user: User, url: str, *, now: datetime | None = None) -> int:
    """Mark ``user``'s unread ``pm`` notices about the conversation at ``url`` read
    (opening the conversation reads them). Returns how many."""
    with transaction.atomic():
        marked = Notification.objects.filter(
            recipient_id=user.pk, kind=Kind.PM, url=url, read_at__isnull=True
        ).update(read_at=now or timezone.now())
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
