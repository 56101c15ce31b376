"""Import Discuz! X3.4 sanctions and moderation records into luntan's own models:

- member bans (小黑屋): members in usergroup 4 禁止发言 / 5 禁止访问 with
  ``common_member.groupexpiry`` / ``common_member_field_forum.groupterms`` (the expiry
  and the group to restore) and the newest ``common_member_crime`` row of the ban's kind
  (operator, reason, time) → :class:`luntan.bans.models.Ban`;
- IP bans ``common_banned`` (four octets, ``-1`` = ``*``, ``expiration``) →
  :class:`luntan.bans.models.IPBan` (expired ones are skipped, as Discuz!'s cron drops them);
- censor words ``common_word`` (``{BANNED}`` → block, ``{MOD}`` → moderate, other text →
  replace; Discuz!'s ``{n}`` wildcard and ``/regex/`` kept) →
  :class:`luntan.censor.models.CensorWord`, checked by
  :func:`luntan.censor.services.compile_find`;
- warnings ``forum_warning`` → :class:`luntan.moderation.models.Warning`;
- moderation history ``forum_threadmod`` → :class:`luntan.moderation.models.AuditLog`
  (with :class:`~luntan.moderation.models.ThreadNotice`, "本主题由 X 于 … 关闭", through
  :func:`luntan.moderation.audit.record`).

Each phase is idempotent: rows are matched by their natural key (member + ban time,
IP pattern, word, post, thread + action + time + operator), so a rerun or a resumed run
creates nothing twice. Times are Unix seconds (UTC) in Discuz! and aware UTC here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction

from luntan import search
from luntan.accounts.models import User, UserGroup
from luntan.bans.ipbans import parse_pattern
from luntan.bans.models import Ban, IPBan
from luntan.censor.models import CensorWord
from luntan.censor.services import compile_find, forget_rules
from luntan.credits.models import PostRating
from luntan.credits.services import BulkChange, apply_changes
from luntan.moderation.audit import record
from luntan.moderation.models import Action, AuditLog, BannedPost, Warning
from luntan.threads.models import Post, Thread

from .convert import parse_php
from .source import DiscuzSource
from .upsert import TableStats

# Discuz! X3.4 ``common_member_crime.action`` (source/class/table/table_common_member_crime.php
# ``$actions``): crime_delpost 1, crime_warnpost 2, crime_banpost 3, crime_banspeak 4,
# crime_banvisit 5, crime_banstatus 6, crime_avatar 7, crime_sightml 8, crime_customstatus 9.
CRIME_BANSPEAK, CRIME_BANVISIT = 4, 5
_KIND_OF_GROUP: dict[int, str] = {
    UserGroup.BANNED_POSTING: Ban.Kind.POSTING,
    UserGroup.BANNED_VISITING: Ban.Kind.VISITING,
}
_CRIME_OF_GROUP: dict[int, int] = {
    UserGroup.BANNED_POSTING: CRIME_BANSPEAK,
    UserGroup.BANNED_VISITING: CRIME_BANVISIT,
}

# ``forum_threadmod.action`` codes (source/include/topicadmin/*.php, forum_threadmod
# language ``modaction_*``) → luntan's audit actions. Codes without a counterpart
# (BMP 提升, DWN 下沉, REC 推荐, EST/ECL/EHL/EDI/ERC expiry housekeeping …) are reported.
THREADMOD_ACTIONS = {
    "CLS": Action.CLOSE,
    "OPN": Action.OPEN,
    "STK": Action.STICK,
    "UST": Action.UNSTICK,
    "DIG": Action.DIGEST,
    "UDG": Action.UNDIGEST,
    "HLT": Action.HIGHLIGHT,
    "UHL": Action.UNHIGHLIGHT,
    "MOV": Action.MOVE,
    "MRG": Action.MERGE,
    "SPL": Action.SPLIT,
    "TYP": Action.TYPE,
    "DEL": Action.RECYCLE,
    "RST": Action.RESTORE,
    "MOD": Action.APPROVE,
    "BNP": Action.BAN_POST,
    "UBN": Action.UNBAN_POST,
    "WRN": Action.WARN,
}


def _utc(seconds) -> datetime | None:
    seconds = int(seconds or 0)
    return datetime.fromtimestamp(seconds, tz=UTC) if seconds > 0 else None


def ban_expiry(
    groupid: int, groupexpiry, groupterms, charset: str = "utf-8"
) -> tuple[int | None, int | None]:
    """The expiry (Unix seconds, ``None``: forever) and the group to restore (Discuz!
    groupid, ``None``: unknown) of a member in a banned group.

    Discuz! sets ``common_member.groupexpiry`` and ``groupterms`` =
    ``{'main': {'time': expiry, 'groupid': group to restore, 'adminid': …}, 'ext':
    {groupid: expiry}}`` (source/admincp/admincp_members.php, ``banmember``).
    """
    terms = parse_php(groupterms, charset) if groupterms else None
    main = terms.get("main") if isinstance(terms, dict) else None
    expiry = int(groupexpiry or 0)
    if not expiry and isinstance(main, dict):
        expiry = int(main.get("time") or 0)
    if not expiry and isinstance(terms, dict) and isinstance(terms.get("ext"), dict):
        expiry = int(terms["ext"].get(groupid) or terms["ext"].get(str(groupid)) or 0)
    restore = None
    if isinstance(main, dict) and str(main.get("groupid") or "").isdigit():
        restore = int(main["groupid"]) or None
    return (expiry or None), restore


def member_groupid(
    groupid: int, groupexpiry, groupterms, now: datetime | None = None, *, charset: str = "utf-8"
) -> int:
    """The Discuz! groupid a member is in today: a ban whose expiry has passed has been
    lifted (Discuz! lifts it at the member's next visit), so the restored group."""
    if groupid not in _KIND_OF_GROUP:
        return groupid
    expiry, restore = ban_expiry(groupid, groupexpiry, groupterms, charset)
    now_ts = (now or datetime.now(UTC)).timestamp()
    if expiry is not None and expiry <= now_ts:
        return restore or UserGroup.NEWBIE
    return groupid


def import_bans(src: DiscuzSource, groups: dict[int, int], stats: TableStats) -> None:
    """One :class:`Ban` per member in group 4/5 (see the module docstring). A ban whose
    expiry has passed is imported as lifted at its expiry (the member is back in the
    restored group, :func:`member_groupid`); an active one keeps ``expires_at`` and is
    lifted by luntan when due. ``groups``: ``{Discuz! groupid: UserGroup pk}``."""
    if not src.has("common_member"):
        return
    field = src.has("common_member_field_forum")
    rows = src.dicts(
        src.sql(
            "SELECT m.uid, m.groupid, m.groupexpiry, m.regdate, "
            + ("f.groupterms " if field else "'' AS groupterms ")
            + "FROM {common_member} m "
            + ("LEFT JOIN {common_member_field_forum} f ON f.uid = m.uid " if field else "")
            + "WHERE m.groupid IN (4, 5) ORDER BY m.uid"
        )
    )
    crimes: dict[tuple[int, int], dict] = {}
    if src.has("common_member_crime"):
        for crime_row in src.dicts(
            src.sql(
                "SELECT uid, operatorid, operator, action, reason, dateline "
                "FROM {common_member_crime} WHERE action IN (4, 5) ORDER BY dateline, cid"
            )
        ):
            crimes[(int(crime_row["uid"]), int(crime_row["action"]))] = crime_row  # newest wins
    stats.read += len(rows)
    users = User.objects.in_bulk([int(r["uid"]) for r in rows], field_name="discuz_uid")
    operators = User.objects.in_bulk(
        {int(c["operatorid"]) for c in crimes.values() if int(c["operatorid"])},
        field_name="discuz_uid",
    )
    now = datetime.now(UTC)
    with transaction.atomic():
        for row in rows:
            groupid = int(row["groupid"])
            user = users.get(int(row["uid"]))
            if user is None:
                stats.skip("member not imported")
                continue
            crime = crimes.get((int(row["uid"]), _CRIME_OF_GROUP[groupid]))
            expiry, restore = ban_expiry(
                groupid, row["groupexpiry"], row["groupterms"], src.charset
            )
            if crime is None:
                stats.notes["bans without a common_member_crime row (no reason)"] = (
                    stats.notes.get("bans without a common_member_crime row (no reason)", 0) + 1
                )
            created = _utc(crime["dateline"]) if crime else None
            created = created or _utc(row["regdate"]) or now
            expires_at = _utc(expiry)
            operator = operators.get(int(crime["operatorid"])) if crime else None
            values = {
                "kind": _KIND_OF_GROUP[groupid],
                "reason": " ".join((crime["reason"] if crime else "").split())[:200],
                "expires_at": expires_at,
                "lifted_at": expires_at if expires_at and expires_at <= now else None,
                "operator": operator,
                "operator_name": (crime["operator"] if crime else "")[:15],
                "previous_group_id": groups.get(restore or 0, UserGroup.NEWBIE),
            }
            ban = Ban.objects.filter(user=user, created=created).first()
            if ban is None:
                Ban.objects.create(user=user, created=created, **values)
                stats.created += 1
            else:
                changed = [k for k, v in values.items() if getattr(ban, k) != v]
                if changed:
                    for k in changed:
                        setattr(ban, k, values[k])
                    ban.save(update_fields=changed)
                    stats.updated += 1
            if values["lifted_at"]:
                stats.notes["bans already expired (imported as lifted)"] = (
                    stats.notes.get("bans already expired (imported as lifted)", 0) + 1
                )


def ip_pattern(ip1, ip2, ip3, ip4) -> str:
    """``common_banned`` octets as luntan's pattern (``-1`` → ``*``): ``58.218.*.*``."""
    return ".".join("*" if int(o) < 0 else str(int(o)) for o in (ip1, ip2, ip3, ip4))


def import_ip_bans(src: DiscuzSource, stats: TableStats) -> None:
    """``common_banned`` → :class:`IPBan` by pattern (see the module docstring)."""
    if not src.has("common_banned"):
        return
    rows = src.dicts(
        src.sql(
            "SELECT id, ip1, ip2, ip3, ip4, admin, dateline, expiration FROM {common_banned} "
            "ORDER BY id"
        )
    )
    stats.read += len(rows)
    now = datetime.now(UTC)
    admins = User.objects.in_bulk({r["admin"] for r in rows if r["admin"]}, field_name="username")
    with transaction.atomic():
        for row in rows:
            pattern = ip_pattern(row["ip1"], row["ip2"], row["ip3"], row["ip4"])
            try:
                parse_pattern(pattern)
            except ValidationError:
                stats.skip("invalid or all-address pattern")
                continue
            expires_at = _utc(row["expiration"])
            if expires_at is not None and expires_at <= now:
                stats.skip("expired")
                continue
            values = {
                "created": _utc(row["dateline"]) or now,
                "expires_at": expires_at,
                "operator": admins.get(row["admin"]),
                "operator_name": (row["admin"] or "")[:15],
            }
            ban = IPBan.objects.filter(pattern=pattern).first()
            if ban is None:
                IPBan.objects.create(pattern=pattern, **values)
                stats.created += 1
            elif any(getattr(ban, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(ban, k, v)
                ban.save()
                stats.updated += 1


def word_rule(find: str, replacement: str) -> tuple[str, str]:
    """``(action, replacement)`` of a ``common_word`` row: ``{BANNED}`` → block,
    ``{MOD}`` → moderate, anything else → replace (Discuz! shows ``**`` for an empty
    replacement; luntan ``***``)."""
    upper = (replacement or "").strip().upper()
    if upper == "{BANNED}":
        return CensorWord.Action.BLOCK, ""
    if upper == "{MOD}":
        return CensorWord.Action.MODERATE, ""
    return CensorWord.Action.REPLACE, replacement or ""


def import_censor_words(src: DiscuzSource, stats: TableStats) -> None:
    """``common_word`` → :class:`CensorWord` by ``find`` (see the module docstring).
    Patterns luntan cannot compile are skipped and counted in the report."""
    if not src.has("common_word"):
        return
    rows = src.dicts(src.sql("SELECT id, admin, find, replacement FROM {common_word} ORDER BY id"))
    stats.read += len(rows)
    with transaction.atomic():
        for row in rows:
            find = (row["find"] or "").strip()
            _upsert_word(find, row, stats)
    forget_rules()


def _upsert_word(find: str, row: dict, stats: TableStats) -> None:
    """Write one Discuz! censor row (``common_word`` or ``ucenter_badwords``) as a
    :class:`CensorWord` by :func:`word_rule`, matched by ``find``; a pattern luntan cannot
    compile, or one longer than 255 characters, is counted as skipped."""
    action, replacement = word_rule(find, row["replacement"])
    try:
        compile_find(find)
        if not find or len(find) > 255:
            raise ValidationError("length")
    except ValidationError:
        stats.skip("pattern luntan cannot use")
        return
    values = {"action": action, "replacement": replacement[:255]}
    word = CensorWord.objects.filter(find=find).first()
    if word is None:
        CensorWord.objects.create(find=find, operator_name=(row["admin"] or "")[:15], **values)
        stats.created += 1
    elif any(getattr(word, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(word, k, v)
        word.save(update_fields=list(values))
        stats.updated += 1


def import_uc_badwords(src: DiscuzSource, stats: TableStats) -> None:
    """UCenter's word list ``ucenter_badwords`` (``find``, ``replacement``; UCenter filters
    private messages and names with it) → :class:`CensorWord` beside ``common_word``, with
    the same rules (:func:`word_rule`). A word ``common_word`` also has is counted as
    already imported (the forum's own rule wins); patterns luntan cannot compile are
    skipped and reported."""
    if not src.has("ucenter_badwords"):
        return
    rows = src.dicts(
        src.sql("SELECT id, admin, find, replacement FROM {ucenter_badwords} ORDER BY id")
    )
    stats.read += len(rows)
    forum_words: set[str] = set()
    if src.has("common_word"):
        forum_words = {
            (r[0] or "").strip() for r in src.fetchall(src.sql("SELECT find FROM {common_word}"))
        }
    with transaction.atomic():
        for row in rows:
            find = (row["find"] or "").strip()
            if find in forum_words:
                stats.notes["also in common_word (its rule is kept)"] = (
                    stats.notes.get("also in common_word (its rule is kept)", 0) + 1
                )
                continue
            _upsert_word(find, row, stats)
    forget_rules()


def import_warnings(src: DiscuzSource, stats: TableStats) -> None:
    """``forum_warning`` → :class:`Warning` (one per post, as Discuz!'s unique ``pid``)."""
    if not src.has("forum_warning"):
        return
    rows = src.dicts(
        src.sql(
            "SELECT wid, pid, operatorid, authorid, dateline, reason FROM {forum_warning} "
            "ORDER BY wid"
        )
    )
    stats.read += len(rows)
    posts = dict(
        Post.objects.filter(discuz_pid__in=[int(r["pid"]) for r in rows]).values_list(
            "discuz_pid", "pk"
        )
    )
    uids = {int(r["authorid"]) for r in rows} | {int(r["operatorid"]) for r in rows}
    users = dict(User.objects.filter(discuz_uid__in=uids).values_list("discuz_uid", "pk"))
    existing = {w.post_id: w for w in Warning.objects.filter(post_id__in=posts.values())}
    with transaction.atomic():
        for row in rows:
            post = posts.get(int(row["pid"]))
            if post is None:
                stats.skip("post not imported")
                continue
            values = {
                "user_id": users.get(int(row["authorid"])),
                "actor_id": users.get(int(row["operatorid"])),
                "reason": " ".join((row["reason"] or "").split())[:200],
                "created": _utc(row["dateline"]) or datetime.now(UTC),
            }
            old = existing.get(post)
            if old is None:
                Warning.objects.create(post_id=post, **values)
                stats.created += 1
            elif any(getattr(old, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(old, k, v)
                old.save()
                stats.updated += 1


def _pages_by_key(src: DiscuzSource, table: str, key: str, columns: str, batch: int):
    """Page through ``table``, which has no primary key, by ``key`` (a post or thread id):
    yields ``(keys, rows)`` with up to ``batch`` distinct keys a page and every row of
    those keys (``columns``, ordered by key then ``dateline``), until the table ends.
    ``table``, ``key`` and ``columns`` are our own constants, never input."""
    # Identifiers below are our own constants (see the docstring), values are parameters.
    keys_sql = src.sql(
        f"SELECT DISTINCT {key} FROM {{{table}}} WHERE {key} > %s ORDER BY {key} LIMIT %s"  # noqa: S608
    )
    rows_sql = src.sql(
        f"SELECT {columns} FROM {{{table}}} WHERE {key} IN %s ORDER BY {key}, dateline"  # noqa: S608
    )
    last = -1
    while True:
        keys = [r[0] for r in src.fetchall(keys_sql, (last, batch))]
        if not keys:
            return
        last = keys[-1]
        yield keys, src.dicts(rows_sql, (keys,))


def import_threadmod(src: DiscuzSource, batch: int, stats: TableStats) -> None:
    """``forum_threadmod`` → :class:`AuditLog` (and the thread's notice), oldest first per
    thread so the newest action is the one shown ("本主题由 X 于 <time> <label>")."""
    if not src.has("forum_threadmod"):
        return
    # forum_threadmod has no primary key: page by tid, whole threads at a time.
    for _tids, rows in _pages_by_key(
        src, "forum_threadmod", "tid", "tid, uid, username, dateline, action, reason", batch
    ):
        _write_threadmod(rows, stats)


def _write_threadmod(rows: list[dict], stats: TableStats) -> None:
    stats.read += len(rows)
    threads = dict(
        Thread.objects.filter(discuz_tid__in={int(r["tid"]) for r in rows}).values_list(
            "discuz_tid", "pk"
        )
    )
    actors = User.objects.in_bulk({int(r["uid"]) for r in rows}, field_name="discuz_uid")
    have = set(
        AuditLog.objects.filter(target_type="thread", target_id__in=threads.values()).values_list(
            "target_id", "action", "created", "actor_name"
        )
    )
    with transaction.atomic():
        for row in rows:
            thread = threads.get(int(row["tid"]))
            action = THREADMOD_ACTIONS.get((row["action"] or "").strip().upper())
            if thread is None:
                stats.skip("thread not imported")
                continue
            if action is None:
                stats.skip(f"action {row['action']!r} has no luntan counterpart")
                continue
            created = _utc(row["dateline"]) or datetime.now(UTC)
            name = (row["username"] or "")[:15]
            if (thread, action, created, name) in have:
                continue
            actor = actors.get(int(row["uid"])) or _Named(name)
            record(
                actor=actor,
                action=action,
                target_type="thread",
                target_id=thread,
                thread_id=thread,
                reason=row["reason"] or "",
                now=created,
            )
            stats.created += 1


# ``forum_post.status`` bits (Discuz! ``getstatus($post['status'], n)``, bit n = 1 << (n-1)):
# 1 屏蔽 (banned by a moderator), 2 警告 (author warned), 4 from a mobile client.
POST_STATUS_BANNED, POST_STATUS_WARNED = 1, 2


def import_post_flags(src: DiscuzSource, stats: TableStats) -> None:
    """屏蔽 and 警告 of imported posts: ``forum_post(_N).status`` bit 1 →
    :class:`BannedPost` (the floor reads "提示: 该帖被管理员或版主屏蔽" to all but
    moderators, and the post leaves the search index), bit 2 → a :class:`Warning` of the
    author when ``forum_warning`` had none ("该帖作者被警告"). Run after the posts and the
    warnings. A post whose bit was cleared in Discuz! since an earlier import loses its
    imported flag (``actor`` null, i.e. one luntan's own tools did not set)."""

    for table in src.post_tables():
        rows = src.dicts(
            src.sql(
                "SELECT pid, authorid, dateline, status FROM {t} WHERE (status & 3) > 0", t=table
            )
        )
        stats.read += len(rows)
        posts = dict(
            Post.objects.filter(discuz_pid__in=[int(r["pid"]) for r in rows]).values_list(
                "discuz_pid", "pk"
            )
        )
        banned = set(
            BannedPost.objects.filter(post_id__in=posts.values()).values_list("post_id", flat=True)
        )
        warned = set(
            Warning.objects.filter(post_id__in=posts.values()).values_list("post_id", flat=True)
        )
        authors = dict(
            User.objects.filter(discuz_uid__in={int(r["authorid"]) for r in rows}).values_list(
                "discuz_uid", "pk"
            )
        )
        newly_banned = []
        with transaction.atomic():
            for row in rows:
                post = posts.get(int(row["pid"]))
                if post is None:
                    stats.skip("post not imported")
                    continue
                created = _utc(row["dateline"]) or datetime.now(UTC)
                status = int(row["status"])
                if status & POST_STATUS_BANNED and post not in banned:
                    BannedPost.objects.create(post_id=post, created=created)
                    newly_banned.append(post)
                    stats.created += 1
                if status & POST_STATUS_WARNED and post not in warned:
                    Warning.objects.create(
                        post_id=post, user_id=authors.get(int(row["authorid"])), created=created
                    )
                    stats.created += 1
                stats.notes["屏蔽 posts (status bit 1)"] = stats.notes.get(
                    "屏蔽 posts (status bit 1)", 0
                ) + bool(status & POST_STATUS_BANNED)
                stats.notes["warned posts (status bit 2)"] = stats.notes.get(
                    "warned posts (status bit 2)", 0
                ) + bool(status & POST_STATUS_WARNED)
            if newly_banned:
                # Out of the search index once committed (屏蔽 content is never indexed).
                transaction.on_commit(partial(search.reindex_posts, newly_banned))


def import_ratings(src: DiscuzSource, batch: int, stats: TableStats) -> None:
    """``forum_ratelog`` → :class:`luntan.credits.models.PostRating` (评分: rater, credit,
    score, reason, time), each with its credit-log row for the post's author written by
    :func:`luntan.credits.services.apply_changes` (one bulk call per page) as part of the member's imported
    balance (action ``import``): the credit balances step, which runs afterwards, only
    adds the rest, so the totals equal Discuz!'s and the ledger shows every rating.
    One rating per post, rater and credit (Discuz! allows one); others are skipped."""

    if not src.has("forum_ratelog"):
        return
    for pids, rows in _pages_by_key(
        src,
        "forum_ratelog",
        "pid",
        "pid, uid, username, extcredits, dateline, score, reason",
        batch,
    ):
        stats.read += len(rows)
        posts = Post.objects.in_bulk(pids, field_name="discuz_pid")
        raters = dict(
            User.objects.filter(discuz_uid__in={int(r["uid"]) for r in rows}).values_list(
                "discuz_uid", "pk"
            )
        )
        have = set(
            PostRating.objects.filter(post__in=[p.pk for p in posts.values()]).values_list(
                "post_id", "rater_name", "extcredit"
            )
        )
        ratings: list[PostRating] = []
        changes: list[BulkChange] = []
        for row in rows:
            post = posts.get(int(row["pid"]))
            extcredit = int(row["extcredits"])
            name = (row["username"] or "")[:15]
            if post is None:
                stats.skip("post not imported")
                continue
            if extcredit not in range(1, 9) or not int(row["score"]):
                stats.skip("no credit or zero score")
                continue
            key = (post.pk, name, extcredit)
            if key in have:
                continue
            have.add(key)
            created = _utc(row["dateline"]) or datetime.now(UTC)
            reason = " ".join((row["reason"] or "").split())[:40]
            ratings.append(
                PostRating(
                    post=post,
                    rater_id=raters.get(int(row["uid"])),
                    rater_name=name,
                    extcredit=extcredit,
                    score=int(row["score"]),
                    reason=reason,
                    created=created,
                )
            )
            if post.author_id:
                changes.append(
                    BulkChange(
                        user_id=post.author_id,
                        deltas={extcredit: int(row["score"])},
                        action="import",
                        reason=f"评分 {name}: {reason}",
                        created=created,
                        post_id=post.pk,
                        thread_id=post.thread_id,
                    )
                )
        # One page: the ratings and their ledger rows in one transaction, in bulk.
        with transaction.atomic():
            PostRating.objects.bulk_create(ratings)
            apply_changes(changes)
        stats.created += len(ratings)


class _Named:
    """An operator known only by name (account not imported)."""

    pk = None

    def __init__(self, username: str):
        self.username = username


__all__ = [
    "THREADMOD_ACTIONS",
    "ban_expiry",
    "import_bans",
    "import_censor_words",
    "import_ip_bans",
    "import_post_flags",
    "import_ratings",
    "import_threadmod",
    "import_uc_badwords",
    "import_warnings",
    "ip_pattern",
    "member_groupid",
    "word_rule",
]
