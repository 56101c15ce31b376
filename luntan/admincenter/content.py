"""内容 of the 管理中心: censor words (词语过滤) with import/export in Discuz!'s
``word=replacement`` format, IP bans (禁止 IP) and batch delete (批量删帖) by member or IP
over a time range.

Every write is one transaction with an audit entry (target ``site`` #0). Censor words go
through :mod:`luntan.censor.services`, IP bans through :mod:`luntan.bans.services`, and the
batch delete through the moderation services (:func:`luntan.moderation.threads.recycle_thread`
for threads, :func:`luntan.moderation.posts.delete_post` for replies), so threads land in
the recycle bin and counters, last posts and credits are recomputed as for any deletion.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.bans import services as bans
from luntan.bans.models import IPBan
from luntan.censor import services as censor
from luntan.censor.models import CensorWord
from luntan.moderation import audit
from luntan.moderation.models import Action
from luntan.moderation.posts import delete_post
from luntan.moderation.threads import recycle_thread
from luntan.threads.models import Post, Thread

#: Posts and threads listed in a batch delete preview.
PREVIEW_ROWS = 20


def _log(action: str, before: dict, after: dict, actor, ip, now, reason: str = "") -> None:
    audit.record(
        actor=actor,
        action=action,
        target_type="site",
        target_id=0,
        before=before,
        after=after,
        reason=reason,
        ip=ip,
        now=now or timezone.now(),
    )


# ---------------------------------------------------------------- censor words


def add_censor_word(
    find: str,
    *,
    action: str,
    replacement: str = "",
    actor,
    ip: str | None = None,
    now: datetime | None = None,
) -> CensorWord:
    """Add one censor word (:func:`luntan.censor.services.add_word`) and log it. Raises
    ``ValidationError`` for a bad pattern, a word too long or one already in the list."""
    find = (find or "").strip()
    if not find:
        raise ValidationError(_("请填写不良词语。"), code="required")
    if CensorWord.objects.filter(find=find).exists():
        raise ValidationError(_("该词语已存在。"), code="duplicate")
    with transaction.atomic():
        word = censor.add_word(find, action=action, replacement=replacement, operator=actor)
        _log(Action.CENSOR_WORD, {}, {"find": find, "action": action}, actor, ip, now)
    return word


def delete_censor_word(
    word: CensorWord, *, actor, ip: str | None = None, now: datetime | None = None
) -> bool:
    """Delete a censor word and log it; False when it was already gone."""
    with transaction.atomic():
        before = {"find": word.find, "action": word.action}
        gone = censor.delete_word(word.pk)
        if gone:
            _log(Action.CENSOR_WORD, before, {}, actor, ip, now)
    return gone


def _line(word: CensorWord) -> str:
    if word.action == CensorWord.Action.BLOCK:
        return f"{word.find}={{BANNED}}"
    if word.action == CensorWord.Action.MODERATE:
        return f"{word.find}={{MOD}}"
    return f"{word.find}={word.replacement}" if word.replacement else word.find


def export_censor_words() -> str:
    """Every censor word, one ``word=replacement`` line each (Discuz! X3.4 词语过滤 导出:
    ``{BANNED}`` blocks, ``{MOD}`` sends to review, a bare word is replaced with ``***``),
    ending in a newline; readable by :func:`import_censor_words`."""
    return "".join(_line(w) + "\n" for w in CensorWord.objects.order_by("id"))


@dataclass
class ImportPreview:
    """What importing a list would do: ``added`` and ``changed`` as ``[(line number,
    find, action label, replacement)]`` (``changed`` also gives the old action label and
    replacement), ``unchanged`` a count, ``errors`` ``[(line number, line, message)]``."""

    added: list[tuple[int, str, str, str]] = field(default_factory=list)
    changed: list[tuple[int, str, str, str, str, str]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def preview_censor_import(text: str) -> ImportPreview:
    """Parse ``text`` (one rule a line, :func:`luntan.censor.services.parse_line`) and
    compare it with the list; changes nothing. A line whose pattern does not compile, is
    longer than 255 characters, or repeats an earlier line's word is an error."""
    preview = ImportPreview()
    existing = {w.find: w for w in CensorWord.objects.all()}
    labels = dict(CensorWord.Action.choices)
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        parsed = censor.parse_line(raw)
        if parsed is None:
            continue
        find, action, replacement = parsed
        try:
            if not find:
                raise ValidationError(_("等号前没有词语。"))
            censor.compile_find(find)
            if len(find) > 255 or len(replacement) > 255:
                raise ValidationError(_("词语太长。"))
            if find in seen:
                raise ValidationError(_("与前面的行重复。"))
        except ValidationError as exc:
            preview.errors.append((number, raw.strip()[:80], " ".join(exc.messages)))
            continue
        seen.add(find)
        old = existing.get(find)
        if old is None:
            preview.added.append((number, find, str(labels[action]), replacement))
        elif (old.action, old.replacement) != (action, replacement):
            preview.changed.append(
                (
                    number,
                    find,
                    str(labels[action]),
                    replacement,
                    str(labels[old.action]),
                    old.replacement,
                )
            )
        else:
            preview.unchanged += 1
    return preview


def import_censor_words(
    text: str, *, actor, ip: str | None = None, now: datetime | None = None
) -> censor.ImportResult:
    """Import the list (existing words are overwritten) and log the counts. Raises
    ``ValidationError`` listing the bad lines when any line is bad: nothing is imported
    until every line is right (check with :func:`preview_censor_import`)."""
    preview = preview_censor_import(text)
    if preview.errors:
        raise ValidationError(
            [_("第 %(n)d 行：%(msg)s") % {"n": n, "msg": msg} for n, _l, msg in preview.errors],
            code="bad_lines",
        )
    with transaction.atomic():
        result = censor.import_words(text, operator=actor, overwrite=True)
        _log(
            Action.CENSOR_WORD,
            {},
            {"imported": result.added, "updated": result.updated},
            actor,
            ip,
            now,
        )
    return result


# ---------------------------------------------------------------- IP bans


def add_ip_ban(
    pattern: str,
    *,
    reason: str = "",
    expires_at: datetime | None = None,
    actor,
    ip: str | None = None,
    now: datetime | None = None,
) -> IPBan:
    """Ban an address pattern (:func:`luntan.bans.services.ban_ip`: ``1.2.3.*``, an
    address or a CIDR prefix) until ``expires_at`` (aware UTC; None: forever) and log it.
    Raises ``ValidationError`` for a bad or duplicate pattern, or an expiry in the past."""
    now = now or timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationError(_("到期时间必须晚于现在。"), code="expires_at")
    with transaction.atomic():
        ban = bans.ban_ip(pattern, reason=reason, expires_at=expires_at, operator=actor, now=now)
        _log(Action.IP_BAN, {}, {"pattern": ban.pattern}, actor, ip, now, reason=ban.reason)
    return ban


def remove_ip_ban(ban: IPBan, *, actor, ip: str | None = None, now: datetime | None = None) -> bool:
    """Lift an IP ban (:func:`luntan.bans.services.unban_ip`) and log it; False when it
    was already gone."""
    with transaction.atomic():
        pattern = ban.pattern
        gone = bans.unban_ip(ban.pk)
        if gone:
            _log(Action.IP_BAN, {"pattern": pattern}, {}, actor, ip, now)
    return gone


# ---------------------------------------------------------------- batch delete


@dataclass
class BatchCriteria:
    """Which posts a batch delete takes: by ``user_id`` (a member) or by ``ip`` (an exact
    address or a prefix: ``1.2.3.``, ``1.2.*.*``), posted at or after ``since``
    and before ``until`` (aware datetimes; None: no bound)."""

    user_id: int | None = None
    ip: str = ""
    since: datetime | None = None
    until: datetime | None = None

    def describe(self) -> dict:
        return {
            "user_id": self.user_id,
            "ip": self.ip,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


def _posts(criteria: BatchCriteria) -> QuerySet[Post]:
    if criteria.user_id is None and not criteria.ip:
        raise ValidationError(_("请填写用户名或 IP 地址。"), code="required")
    if criteria.since and criteria.until and criteria.until <= criteria.since:
        raise ValidationError(_("结束时间必须晚于开始时间。"), code="range")
    qs = Post.objects.filter(state=Post.State.VISIBLE, thread__state=Thread.State.NORMAL)
    if criteria.user_id is not None:
        qs = qs.filter(author_id=criteria.user_id)
    if criteria.ip:
        qs = qs.filter(_ip_q(criteria.ip))
    if criteria.since:
        qs = qs.filter(created__gte=criteria.since)
    if criteria.until:
        qs = qs.filter(created__lt=criteria.until)
    return qs


def _ip_q(text: str) -> Q:
    """Posts from ``text``: a whole IPv4/IPv6 address (exact), or a prefix such as
    ``192.168.`` or ``192.168.*.*`` (as the member search takes). Raises
    ``ValidationError`` for anything else."""
    text = text.strip()
    try:
        return Q(ip=str(ipaddress.ip_address(text)))
    except ValueError:
        pass
    prefix = text
    while prefix.endswith(".*"):
        prefix = prefix[:-1]
    if not prefix or "*" in prefix or not set(prefix) <= set("0123456789abcdefABCDEF.:"):
        raise ValidationError(_("无效的 IP 地址：%(p)s") % {"p": text}, code="ip")
    if "." in prefix and not prefix.endswith("."):
        prefix += "."  # "192.168" means 192.168.x.x, not 192.1680.x.x
    return Q(ip__startswith=prefix)


@dataclass
class BatchPreview:
    """A batch delete's preview: ``threads`` (threads started by the matching posts'
    authors, whose first floor matches: they go to the recycle bin with all their
    replies) and ``replies`` (other matching posts, deleted one by one), as counts and
    the first :data:`PREVIEW_ROWS` of each, newest first."""

    thread_count: int
    reply_count: int
    threads: list[Thread]
    replies: list[Post]


def preview_batch_delete(criteria: BatchCriteria) -> BatchPreview:
    """What :func:`batch_delete` would take; changes nothing. Raises ``ValidationError``
    for missing criteria, a bad IP pattern or an empty time range."""
    posts = _posts(criteria)
    firsts = posts.filter(floor=1)
    threads = Thread.objects.filter(pk__in=firsts.values("thread_id")).order_by("-created")
    replies = posts.exclude(floor=1).select_related("thread").order_by("-created")
    return BatchPreview(
        thread_count=threads.count(),
        reply_count=replies.count(),
        threads=list(threads.select_related("board")[:PREVIEW_ROWS]),
        replies=list(replies[:PREVIEW_ROWS]),
    )


@dataclass
class BatchResult:
    """What :func:`batch_delete` did: threads recycled and replies deleted."""

    threads: int
    replies: int


def batch_delete(
    criteria: BatchCriteria,
    *,
    actor,
    reason: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> BatchResult:
    """Recycle (not destroy) what :func:`preview_batch_delete` shows, in one transaction:
    each matching thread goes to the recycle bin (``recycle_thread``), then each matching
    reply still visible is deleted (``delete_post``), each with its own moderation log
    entry, plus one ``batch_delete`` entry with the criteria and counts. Restorable from
    the recycle bin. Raises ``ValidationError`` as the preview does."""
    now = now or timezone.now()
    posts = _posts(criteria)
    with transaction.atomic():
        thread_ids = list(posts.filter(floor=1).values_list("thread_id", flat=True))
        recycled = 0
        for thread in Thread.objects.filter(pk__in=thread_ids, state=Thread.State.NORMAL):
            recycle_thread(thread, actor=actor, reason=reason, ip=ip, now=now)
            recycled += 1
        deleted = 0
        for post in _posts(criteria).exclude(floor=1).select_related("thread"):
            delete_post(post, actor=actor, reason=reason, ip=ip, now=now)
            deleted += 1
        _log(
            Action.BATCH_DELETE,
            criteria.describe(),
            {"threads": recycled, "replies": deleted},
            actor,
            ip,
            now,
            reason=reason,
        )
    return BatchResult(threads=recycled, replies=deleted)
