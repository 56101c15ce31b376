"""E-mail for notices (提醒邮件): one mail per notice (``immediate``) or one daily digest
per member (``daily``), for the kinds the member set to ``email``.

Mail is rendered in the worker (a task of the ``default`` queue), in the recipient's
language (``NotificationSettings.language``: ``zh-hans`` by default, ``en`` if chosen)
with times in their time zone (``User.time_zone``, else the site's). Every mail carries
a one-click unsubscribe (RFC 8058): ``List-Unsubscribe: <https://…/notifications/
unsubscribe/<token>/>`` and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``; the
token is signed (``django.core.signing``, salt :data:`SALT`) over the member id and the
kind (``all`` in a digest), so the link works logged out and a changed token is refused.
Links are absolute, from the ``LUNTAN_SITE_URL`` setting.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from luntan.accounts.models import User
from luntan.core.models import get_site_settings, site_time_zone
from luntan.notifications.models import Channel, Digest, Notification, NotificationSettings
from luntan.permissions.notifications import may_read_for_notice
from luntan.permissions.viewer import Viewer

SALT = "luntan.notifications.unsubscribe"

#: A digest is due when the last one is at least this old (the command runs daily; the
#: slack lets a run a few minutes early still send).
DIGEST_EVERY = timedelta(hours=23)


def unsubscribe_token(user_id: int, kind: str) -> str:
    """The signed token of an unsubscribe link for member ``user_id`` and ``kind`` (a
    ``Notification.Kind`` value or ``"all"``); URL-safe, no expiry."""
    return signing.dumps([int(user_id), kind], salt=SALT, compress=False)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """``(user_id, kind)`` of ``token``. Raises ``django.core.signing.BadSignature`` for
    a token not signed by this site (changed, truncated) and ``ValueError`` for a
    signed one of another shape."""
    value = signing.loads(token, salt=SALT)
    if not (isinstance(value, list) and len(value) == 2):
        raise ValueError("bad token")
    uid, kind = value
    if not isinstance(uid, int) or not isinstance(kind, str):
        raise ValueError("bad token")
    return uid, kind


def absolute(path: str) -> str:
    """``path`` on the site's public address (``settings.LUNTAN_SITE_URL``)."""
    return settings.LUNTAN_SITE_URL.rstrip("/") + path


def unsubscribe_url(user_id: int, kind: str) -> str:
    """The absolute one-click unsubscribe link for ``user_id`` and ``kind``."""
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kind)]))


def _zone(member: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(member.time_zone) if member.time_zone else site_time_zone()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return site_time_zone()


def describe(notice: Notification) -> str:
    """One line telling ``notice`` in the active language: who, what, where, with the
    rating or moderation details (for the mail; the page has its own template)."""
    actor = notice.actor_name or _("系统")
    extra = notice.extra or {}
    if notice.kind == Notification.Kind.MODERATION:
        labels = {
            "move": _("移动了您的主题"),
            "close": _("关闭了您的主题"),
            "recycle": _("删除了您的主题"),
            "delete_post": _("删除了您的帖子"),
            "ban_post": _("屏蔽了您的帖子"),
            "warn": _("警告了您"),
        }
        text = f"{actor} {labels.get(extra.get('action', ''), notice.get_kind_display())}"
    else:
        text = f"{actor} {notice.get_kind_display()}"
    if notice.thread_id and notice.thread is not None:
        text += f"：{notice.thread.subject}"
    elif extra.get("subject"):
        text += f"：{extra['subject']}"
    if notice.kind == Notification.Kind.RATE:
        text += f" ({extra.get('credit', '')} {int(extra.get('score', 0)):+d})"
    if extra.get("board"):
        text += " → " + str(extra["board"])
    if extra.get("reason"):
        text += "\n    " + _("理由：%(reason)s") % {"reason": extra["reason"]}
    return text


def _link(notice: Notification) -> str:
    if notice.post_id:
        return absolute(reverse("threads:post", args=[notice.post_id]))
    if notice.thread_id and notice.thread is not None:
        return absolute(notice.thread.get_absolute_url())
    if notice.url:
        return absolute(notice.url)
    return absolute(reverse("notifications:list"))


def render_mail(member: User, notices: Sequence[Notification], *, digest: bool) -> EmailMessage:
    """The mail telling ``member`` of ``notices`` (one, or a digest), rendered in their
    language and time zone, with the unsubscribe headers (kind ``all`` for a digest)."""
    prefs = getattr(member, "notification_settings", None)
    language = prefs.language if prefs is not None else settings.LANGUAGE_CODE
    site = get_site_settings().site_name
    kind = "all" if digest or len({n.kind for n in notices}) > 1 else notices[0].kind
    unsubscribe = unsubscribe_url(member.pk, kind)
    with translation.override(language), timezone.override(_zone(member)):
        if digest:
            subject = _("[%(site)s] 您有 %(n)d 条新提醒") % {"site": site, "n": len(notices)}
        else:
            subject = f"[{site}] {describe(notices[0]).splitlines()[0]}"
        lines = [_("%(name)s，您好：") % {"name": member.username}, ""]
        for n in notices:
            when = date_format(timezone.localtime(n.created), "Y-m-d H:i")
            lines.append(f"{when}  {describe(n)}")
            lines.append(f"    {_link(n)}")
        lines += [
            "",
            _("全部提醒：%(url)s") % {"url": absolute(reverse("notifications:list"))},
            _("提醒设置：%(url)s") % {"url": absolute(reverse("notifications:settings"))},
            _("不再接收此类邮件：%(url)s") % {"url": unsubscribe},
        ]
        body = "\n".join(lines) + "\n"
    return EmailMessage(
        subject.replace("\n", " ")[:200],
        body,
        settings.DEFAULT_FROM_EMAIL,
        [member.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def _still_wanted(notice: Notification, member: User) -> bool:
    """Mail only what the member still wants by e-mail and may still read."""
    prefs = getattr(member, "notification_settings", None)
    if prefs is None or prefs.channel(notice.kind) != Channel.EMAIL or not member.email:
        return False
    if notice.read_at is not None:
        return False
    if notice.thread_id and notice.thread is not None:
        return may_read_for_notice(Viewer(member), notice.thread)
    return True


def _load(query: Q) -> list[Notification]:
    return list(
        Notification.objects.filter(query, emailed_at__isnull=True)
        .select_related(
            "recipient__notification_settings", "thread__board__parent__parent", "actor"
        )
        .order_by("recipient_id", "created", "pk")
    )


def _mark(ids: Iterable[int], now: datetime) -> None:
    Notification.objects.filter(pk__in=list(ids)).update(emailed_at=now)


def mail_notices(ids: Sequence[int], by_post: Sequence[Sequence[int]] = ()) -> int:
    """Send the immediate mails of notices ``ids`` (and of ``by_post``, pairs
    ``[recipient id, post id]`` for rows written without an id), one mail per notice,
    skipping those already mailed, read, no longer wanted by e-mail or about a thread the
    member may no longer read (those are marked so they are not tried again). Returns
    the number of mails sent. Each notice is marked ``emailed_at`` before its mail is
    sent (at most once, never twice)."""
    query = Q(pk__in=list(ids))
    for uid, pid in by_post:
        query |= Q(recipient_id=uid, post_id=pid)
    if not ids and not by_post:
        return 0
    sent = 0
    now = timezone.now()
    for notice in _load(query):
        member = notice.recipient
        with transaction.atomic():
            marked = Notification.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(
                emailed_at=now
            )
        if not marked or not _still_wanted(notice, member):
            continue
        render_mail(member, [notice], digest=False).send()
        sent += 1
    return sent


def send_digests(now: datetime | None = None) -> int:
    """每日汇总: for each member with ``digest = daily`` whose last digest is at least
    :data:`DIGEST_EVERY` old, mail one digest of their unread, unmailed notices of the
    kinds they set to ``email`` (none: no mail, the clock is not reset). Returns the
    number of digests sent. Run daily by ``luntan send_notification_digests`` (cron or
    systemd timer) or the ``send_digests_task``."""
    now = now or timezone.now()
    due = NotificationSettings.objects.filter(digest=Digest.DAILY).filter(
        Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - DIGEST_EVERY)
    )
    by_member: dict[int, list[Notification]] = defaultdict(list)
    for notice in _load(Q(recipient_id__in=due.values("user_id"), read_at__isnull=True)):
        by_member[notice.recipient_id].append(notice)
    sent = 0
    for uid, notices in by_member.items():
        member = notices[0].recipient
        wanted = [n for n in notices if _still_wanted(n, member)]
        with transaction.atomic():
            _mark((n.pk for n in notices if n.kind in _email_kinds(member)), now)
            if wanted:
                NotificationSettings.objects.filter(user_id=uid).update(last_digest_at=now)
        if wanted:
            render_mail(member, wanted, digest=True).send()
            sent += 1
    return sent


def _email_kinds(member: User) -> set[str]:
    prefs = getattr(member, "notification_settings", None)
    if prefs is None:
        return set()
    return {k for k, v in (prefs.channels or {}).items() if v == Channel.EMAIL}
