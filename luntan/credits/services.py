"""Credit use cases: every write to balances, the ledger and member groups is here.

- :func:`award` applies a :class:`~luntan.credits.models.CreditRule` (with a board's
  override) to a member, honouring its cycle and reward count — Discuz! X3.4
  ``source/class/class_credit.php`` ``updatecreditbyaction()``, with the ledger in place
  of ``common_credit_rule_log``.
- :func:`apply_change` writes one ledger row and moves the balances; ratings, imports and
  admin adjustments use it directly.
- :func:`revoke_post` / :func:`revoke_thread` give back what a deleted post or recycled
  thread earned (Discuz! ``updatepostcredits('-', …)`` when a post is deleted);
  :func:`restore_post_credits` / :func:`restore_thread_credits` undo exactly those takings
  when the post or thread is restored (Discuz! ``updatepostcredits('+', …)`` in the
  recycle bin's restore), so every moderation path is symmetric.
- :func:`refresh_member` recomputes a member's total (``User.credits``, by the site
  formula) and usergroup after their post or thread counts changed.

Concurrency: each change locks the member's ``User`` row and then their
:class:`~luntan.credits.models.MemberCredits` row (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite's ``BEGIN IMMEDIATE`` serialises writers), so the cycle count, the ledger row and
the balance update happen as one step: concurrent awards lose nothing and caps hold.
Always lock in that order (the posting services update the user row first).
Callers may be inside their own transaction (the posting services call :func:`award` in
theirs, so the post and its credits commit together).

Groups: a member in a group of kind ``member`` moves to the member group whose
``[credits_lower, credits_higher)`` holds their new total (promotion and demotion);
system and special groups (管理员, 版主, 禁止发言, 等待验证会员, custom groups …) are never
changed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from luntan.accounts.models import User, UserGroup
from luntan.core.bulk import insert_instances, update_rows
from luntan.core.models import site_time_zone
from luntan.credits.models import (
    EXT_FIELDS,
    BoardCreditRule,
    CreditLog,
    CreditRule,
    MemberCredits,
    get_credit_settings,
)
from luntan.threads.models import Post, Thread

#: Ledger actions tied to one post whose earnings a deleted post gives back.
POST_EARNINGS = ("post", "reply", "revoke", "restore", "merge")
#: The ledger actions of deleting (``revoke``) and restoring (``restore``) a post or thread.
ADJUSTMENTS = ("revoke", "restore")


def site_zone() -> ZoneInfo:
    """The site time zone (:func:`luntan.core.models.site_time_zone`, GMT+8 by default):
    days start there."""

    return site_time_zone()


def site_day_start(now: datetime) -> datetime:
    """Midnight of ``now``'s day in the site time zone (aware)."""
    local = now.astimezone(site_zone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def cycle_start(rule: CreditRule, now: datetime) -> datetime | None:
    """When the rule's current cycle began; ``None`` for 一次 (all time) and 不限.

    每天: site midnight. 整点: the start of the current block of ``cycle_time`` hours
    counted from site midnight (``cycle_time`` 0 counts as 1). 间隔分钟: ``cycle_time``
    minutes before ``now`` (a sliding window; Discuz! starts the window at the first
    reward, which gives the same cap for steady activity)."""
    cycle = rule.cycle
    if cycle == CreditRule.Cycle.DAILY:
        return site_day_start(now)
    if cycle == CreditRule.Cycle.HOURS:
        day = site_day_start(now)
        block = max(1, rule.cycle_time)
        hours = int((now - day).total_seconds() // 3600)
        return day + timedelta(hours=hours - hours % block)
    if cycle == CreditRule.Cycle.MINUTES:
        return now - timedelta(minutes=max(1, rule.cycle_time))
    return None


RULES_CACHE_KEY = "luntan:credits:rules:v1"


def _rules() -> dict[str, tuple[CreditRule, dict[int, dict[int, int]]]]:
    """``{action: (rule, {board id: override amounts})}`` for the enabled rules; cached 60 s
    and cleared when a rule or override is saved (:mod:`luntan.credits.signals`)."""
    found = cache.get(RULES_CACHE_KEY)
    if found is None:
        found = {r.action: (r, {}) for r in CreditRule.objects.filter(enabled=True)}
        by_id = {r.pk: r.action for r, _o in found.values()}
        for o in BoardCreditRule.objects.filter(rule_id__in=by_id):
            found[by_id[o.rule_id]][1][o.board_id] = o.deltas()
        cache.set(RULES_CACHE_KEY, found, 60)
    return found


def effective_deltas(action: str, board_id: int | None) -> dict[int, int]:
    """The amounts of the enabled rule for ``action`` in ``board_id`` (the board's
    override when it has one); ``{}`` when there is no such rule. No query when cached."""
    entry = _rules().get(action)
    if entry is None:
        return {}
    rule, overrides = entry
    if board_id is not None and board_id in overrides:
        return dict(overrides[board_id])
    return rule.deltas()


def _related_ids(related, board) -> dict[str, int | None]:

    ids: dict[str, int | None] = {"thread_id": None, "post_id": None, "board_id": None}
    if isinstance(related, Post):
        ids["post_id"] = related.pk
        ids["thread_id"] = related.thread_id
    elif isinstance(related, Thread):
        ids["thread_id"] = related.pk
        ids["board_id"] = related.board_id
    if board is not None:
        ids["board_id"] = getattr(board, "pk", board)
    return ids


def award(
    user: User | int,
    action: str,
    *,
    board=None,
    related=None,
    now: datetime | None = None,
) -> CreditLog | None:
    """Apply the credit rule for ``action`` (``post``, ``reply``, ``digest``,
    ``daylogin``, ``postattach`` …) to ``user``.

    Args: ``board`` (a Board or its id) picks that board's override of the amounts and is
    recorded; ``related`` is the Post or Thread the award is for (recorded; a deleted
    post's earnings are found through it); ``now`` (aware) defaults to the current time.
    Returns the ledger row written, or ``None`` when nothing is due: no such rule, the
    rule disabled or all-zero, or this cycle's reward count already reached (一次: ever).
    Either way the member's total and group are recomputed, because the caller has just
    changed a field of the formula (the post count grew though the post earned nothing:
    issue 9 item 26).
    The ``digest`` action also adds 1 to the member's digest count.
    """
    now = now or timezone.now()
    user_id = _user_id(user)
    entry = _rules().get(action)
    ids = _related_ids(related, board)
    deltas = effective_deltas(action, ids["board_id"]) if entry is not None else {}
    digest = 1 if action == "digest" else 0
    with transaction.atomic(savepoint=False):
        locked = _lock(user_id)
        if entry is None or (not deltas and not digest):
            _refresh_locked(*locked)
            return None
        rule = entry[0]
        if rule.cycle != CreditRule.Cycle.UNLIMITED and (
            rule.reward_count or rule.cycle == CreditRule.Cycle.ONCE
        ):
            done = CreditLog.objects.filter(user_id=user_id, action=action)
            start = cycle_start(rule, now)
            if start is not None:
                done = done.filter(created__gte=start)
            if done.count() >= max(1, rule.reward_count):
                _refresh_locked(*locked)  # no reward, but the post count still counts
                return None
        return _write(locked, deltas, action, rule.name, now, digest=digest, **ids)


def apply_change(
    user: User | int,
    deltas: Mapping[int, int],
    action: str,
    *,
    reason: str = "",
    related=None,
    board=None,
    digest_delta: int = 0,
    now: datetime | None = None,
) -> CreditLog | None:
    """Write one ledger row changing ``user``'s extcredits by ``deltas`` (``{1..8:
    change}``) and the digest count by ``digest_delta``; update balances, total and group.

    No rule or cycle is applied (ratings, imports, admin adjustments). All-zero changes
    write no row but still refresh the total and group. Returns the row or ``None``.
    Raises ``ValueError`` for an extcredit id outside 1–8.
    """
    for key in deltas:
        if key not in range(1, 9):
            raise ValueError(f"extcredit id must be 1–8, not {key!r}")
    now = now or timezone.now()
    user_id = _user_id(user)
    with transaction.atomic(savepoint=False):
        locked = _lock(user_id)
        clean = {k: int(v) for k, v in deltas.items() if v}
        return _write(
            locked, clean, action, reason, now, digest=digest_delta, **_related_ids(related, board)
        )


def _user_id(user: User | int) -> int:
    return user if isinstance(user, int) else int(user.pk)


def _lock(user_id: int) -> tuple[User, MemberCredits]:
    """Lock the member's user row, then read and lock their balance row, in that order.

    Two statements on purpose: under PostgreSQL's READ COMMITTED a statement that waited
    for a row lock re-reads only the locked rows, so a balance joined into the first
    statement could be stale; the second statement starts after the lock is held and
    sees the last committed balance. Every balance write happens behind the user lock,
    so a missing balance row is created safely (by :func:`_write`). Returns both."""
    user = (
        User.objects.select_for_update()
        .only("pk", "posts", "threads", "group_id", "credits")
        .get(pk=user_id)
    )
    found = MemberCredits.objects.select_for_update().filter(pk=user_id).first()
    if found is None:
        found = MemberCredits(user_id=user_id)  # inserted by _write when it changes
    return user, found


def _write(
    locked: tuple[User, MemberCredits],
    deltas: Mapping[int, int],
    action: str,
    reason: str,
    now: datetime,
    *,
    digest: int = 0,
    thread_id: int | None = None,
    post_id: int | None = None,
    board_id: int | None = None,
) -> CreditLog | None:
    user, balance = locked
    user_id = user.pk
    row = None
    if deltas or digest:
        row = CreditLog.objects.create(
            user_id=user_id,
            action=action,
            reason=reason[:100],
            thread_id=thread_id,
            post_id=post_id,
            board_id=board_id,
            digest_delta=digest,
            created=now,
            **{f"extcredits{k}": v for k, v in deltas.items()},
        )
        changes = {f"extcredits{k}": F(f"extcredits{k}") + v for k, v in deltas.items()}
        if digest:
            changes["digestposts"] = F("digestposts") + digest
        adding = balance._state.adding
        if not adding:
            MemberCredits.objects.filter(pk=user_id).update(**changes)
        for k, v in deltas.items():
            setattr(balance, f"extcredits{k}", getattr(balance, f"extcredits{k}") + v)
        balance.digestposts += digest
        if adding:
            balance.save(force_insert=True)
    _refresh_locked(user, balance)
    return row


def total_for(values: Mapping[str, int]) -> int:
    """The total credits for ``values`` (``posts``, ``threads``, ``digestposts``,
    ``extcredits1..8``) by the site formula (cached settings)."""
    return get_credit_settings().parsed.evaluate(values)


def member_group_for(total: int, groups: Iterable[tuple[int, int, int]]) -> int | None:
    """The id of the member group ``(id, lower, higher)`` with ``lower <= total < higher``;
    ``None`` when none fits."""
    for pk, lower, higher in groups:
        if lower <= total < higher:
            return pk
    return None


MEMBER_GROUPS_CACHE_KEY = "luntan:credits:member-groups:v1"


def _member_groups() -> list[tuple[int, int, int]]:
    """``(id, lower, higher)`` of the member groups; cached 60 s, cleared when a usergroup
    is saved or deleted (:mod:`luntan.credits.signals`)."""
    found = cache.get(MEMBER_GROUPS_CACHE_KEY)
    if found is None:
        found = list(
            UserGroup.objects.filter(kind=UserGroup.Kind.MEMBER)
            .order_by("credits_lower", "pk")
            .values_list("pk", "credits_lower", "credits_higher")
        )
        cache.set(MEMBER_GROUPS_CACHE_KEY, found, 60)
    return found


def _refresh_locked(user: User, balance: MemberCredits) -> int:
    """Recompute total and group of a member from rows this transaction has locked and
    read (``balance`` holds the new balances)."""
    values: dict[str, int] = {"posts": user.posts, "threads": user.threads}
    values["digestposts"] = balance.digestposts
    values.update({f: getattr(balance, f) for f in EXT_FIELDS})
    total = total_for(values)
    changes: dict[str, object] = {}
    if total != user.credits:
        changes["credits"] = total
    groups = _member_groups()
    if user.group_id in {g[0] for g in groups}:
        new_group = member_group_for(total, groups)
        if new_group is not None and new_group != user.group_id:
            changes["group_id"] = new_group
    if changes:
        User.objects.filter(pk=user.pk).update(**changes)
    return total


def refresh_member(user: User | int) -> int:
    """Recompute ``user``'s total credits and member group (after their ``posts`` or
    ``threads`` changed, or the formula did); returns the total."""
    user_id = _user_id(user)
    with transaction.atomic(savepoint=False):
        return _refresh_locked(*_lock(user_id))


def _net_by_user(rows) -> dict[int, dict[int, int]]:
    sums = rows.values("user_id").annotate(**{f: Sum(f) for f in EXT_FIELDS}).order_by("user_id")
    out: dict[int, dict[int, int]] = {}
    for row in sums:
        deltas = {i: row[f] for i, f in enumerate(EXT_FIELDS, start=1) if row[f]}
        out[row["user_id"]] = deltas
    return out


def revoke_post(post, *, now: datetime | None = None) -> None:
    """Give back what ``post`` earned (its ``reply``/``post`` ledger rows, net of earlier
    revokes) and refresh its author's total: call after a reply is deleted. An award a cap
    refused gave nothing and takes nothing back."""
    now = now or timezone.now()
    rows = CreditLog.objects.filter(post_id=post.pk, action__in=POST_EARNINGS)
    for user_id, net in _net_by_user(rows).items():
        back = {k: -v for k, v in net.items()}
        apply_change(user_id, back, "revoke", reason="删除帖子", related=post, now=now)
    if post.author_id:
        refresh_member(post.author_id)


def _thread_rows(thread):
    """Ledger rows about ``thread``: its own (OP award, thread-level revoke/restore:
    ``thread_id`` set, no ``post_id``) and those of the posts it holds now (by
    ``post_id``, so a post split or merged into it brings its rows along)."""
    from django.db.models import Q

    post_ids = Post.objects.filter(thread_id=thread.pk).values("pk")
    return CreditLog.objects.filter(Q(thread_id=thread.pk, post_id=None) | Q(post_id__in=post_ids))


def _refresh_authors(thread) -> None:

    authors = (
        Post.objects.filter(thread_id=thread.pk)
        .exclude(author=None)
        .values_list("author_id", flat=True)
        .distinct()
        .order_by("author_id")
    )
    for author_id in authors:
        refresh_member(author_id)


def revoke_thread(thread, *, now: datetime | None = None) -> None:
    """Give back what a thread moved to the recycle bin earned (the OP's ``post`` award
    and every reply's, net of earlier revokes and restores) and refresh the totals of
    everyone who posted in it. The rows written are thread-level (no ``post_id``), so
    :func:`restore_thread_credits` undoes exactly them."""
    now = now or timezone.now()
    rows = _thread_rows(thread).filter(action__in=POST_EARNINGS)
    for user_id, net in _net_by_user(rows).items():
        back = {k: -v for k, v in net.items()}
        apply_change(user_id, back, "revoke", reason="删除主题", related=thread, now=now)
    _refresh_authors(thread)


def move_thread_earnings(source, target, *, now: datetime | None = None) -> None:
    """When ``source`` is merged into ``target`` (合并主题), carry what ``source`` earned
    at thread level (its OP's ``post`` award, net of revokes and restores) over to
    ``target``: per member two ledger rows of action ``merge``, ``-net`` on ``source`` and
    ``+net`` on ``target``. Balances do not move; a later recycle of ``target``
    (:func:`revoke_thread`) then takes that award back too. Reply awards need nothing:
    they follow their posts (``post_id``)."""
    now = now or timezone.now()
    rows = CreditLog.objects.filter(thread_id=source.pk, post_id=None, action__in=POST_EARNINGS)
    for user_id, net in _net_by_user(rows).items():
        if not net:
            continue
        out = {k: -v for k, v in net.items()}
        apply_change(user_id, out, "merge", reason="合并主题", related=source, now=now)
        apply_change(user_id, net, "merge", reason="合并主题", related=target, now=now)


def restore_post_credits(post, *, now: datetime | None = None) -> None:
    """Give back what deleting ``post`` took (恢复帖子): the negation of its post-level
    ``revoke``/``restore`` rows, as action ``restore``; then refresh its author's total.
    Nothing when nothing was taken (a cap refused the award, or a rejected post). No
    rule or cycle applies: the member gets back exactly what they lost."""
    now = now or timezone.now()
    rows = CreditLog.objects.filter(post_id=post.pk, action__in=ADJUSTMENTS)
    for user_id, net in _net_by_user(rows).items():
        back = {k: -v for k, v in net.items()}
        apply_change(user_id, back, "restore", reason="恢复帖子", related=post, now=now)
    if post.author_id:
        refresh_member(post.author_id)


def restore_thread_credits(thread, *, now: datetime | None = None) -> None:
    """Give back what recycling ``thread`` took (还原主题): the negation of its
    thread-level ``revoke``/``restore`` rows, as action ``restore``; replies deleted one
    by one stay taken until :func:`restore_post_credits`. Refreshes the totals of
    everyone who posted in it."""
    now = now or timezone.now()
    rows = CreditLog.objects.filter(thread_id=thread.pk, post_id=None, action__in=ADJUSTMENTS)
    for user_id, net in _net_by_user(rows).items():
        back = {k: -v for k, v in net.items()}
        apply_change(user_id, back, "restore", reason="还原主题", related=thread, now=now)
    _refresh_authors(thread)


def set_opening_balance(
    user: User | int,
    balances: Mapping[int, int],
    *,
    digestposts: int = 0,
    now: datetime | None = None,
) -> CreditLog | None:
    """Make ``user``'s opening balance (action ``import``: what they brought from Discuz!
    ``common_member_count.extcredits1..8`` and ``digestposts``) equal ``balances``.

    Append-only and idempotent: the row written is the difference between ``balances``
    and the sum of the member's earlier ``import`` rows, so a re-import writes nothing
    when Discuz! has not changed and keeps what the member earned in luntan since.
    Returns the row or ``None`` when nothing changed (the total and group are refreshed
    either way).
    """
    now = now or timezone.now()
    user_id = _user_id(user)
    with transaction.atomic(savepoint=False):
        locked = _lock(user_id)
        had = CreditLog.objects.filter(user_id=user_id, action="import").aggregate(
            digest=Sum("digest_delta"), **{f: Sum(f) for f in EXT_FIELDS}
        )
        deltas = {
            i: int(balances.get(i, 0) or 0) - (had[f] or 0)
            for i, f in enumerate(EXT_FIELDS, start=1)
        }
        digest = int(digestposts or 0) - (had["digest"] or 0)
        return _write(
            locked,
            {k: v for k, v in deltas.items() if v},
            "import",
            "Discuz! 积分",
            now,
            digest=digest,
        )


def set_opening_balances(
    rows: Mapping[int, tuple[Mapping[int, int], int]], *, now: datetime | None = None
) -> int:
    """Bulk :func:`set_opening_balance` for an import page: ``rows`` maps a user id to
    ``(balances {1..8: amount}, digestposts)``. Same rows and results as calling it per
    member (one ``import`` ledger row with the difference from the earlier ``import`` rows,
    balances, total and member group refreshed), in a fixed number of queries per call
    instead of several per member. Returns how many members got a ledger row. One
    transaction; the members' rows are locked in id order."""
    now = now or timezone.now()
    ids = sorted(int(i) for i in rows)
    if not ids:
        return 0
    with transaction.atomic(savepoint=False):
        users = {
            u.pk: u
            for u in User.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .only("pk", "posts", "threads", "group_id", "credits")
        }
        balances = {b.pk: b for b in MemberCredits.objects.select_for_update().filter(pk__in=ids)}
        had = {
            r["user_id"]: r
            for r in CreditLog.objects.filter(user_id__in=ids, action="import")
            .values("user_id")
            .annotate(digest=Sum("digest_delta"), **{f: Sum(f) for f in EXT_FIELDS})
        }
        logs, new_balances, changed_balances = [], [], []
        fresh: set[int] = set()
        for uid in ids:
            if uid not in users:
                continue
            wanted, digestposts = rows[uid]
            before: Mapping[str, Any] = had.get(uid) or {}  # SUMs of earlier imports (None: none)
            deltas = {
                i: int(wanted.get(i, 0) or 0) - (before.get(f) or 0)
                for i, f in enumerate(EXT_FIELDS, start=1)
            }
            deltas = {k: v for k, v in deltas.items() if v}
            digest = int(digestposts or 0) - (before.get("digest") or 0)
            balance = balances.get(uid)
            if balance is None:
                balance = balances[uid] = MemberCredits(user_id=uid)
                new_balances.append(balance)
                fresh.add(uid)
            if not deltas and not digest:
                continue
            logs.append(
                CreditLog(
                    user_id=uid,
                    action="import",
                    reason="Discuz! 积分",
                    digest_delta=digest,
                    created=now,
                    **{f"extcredits{k}": v for k, v in deltas.items()},
                )
            )
            for k, v in deltas.items():
                setattr(balance, f"extcredits{k}", getattr(balance, f"extcredits{k}") + v)
            balance.digestposts += digest
            if uid not in fresh:
                changed_balances.append(balance)
        insert_instances(CreditLog, logs)
        insert_instances(MemberCredits, new_balances)
        update_rows(MemberCredits, changed_balances, [*EXT_FIELDS, "digestposts"])
        groups = _member_groups()
        member_ids = {g[0] for g in groups}
        formula = get_credit_settings().parsed
        touched = []
        for uid, user in users.items():
            balance = balances[uid]
            values = {"posts": user.posts, "threads": user.threads}
            values["digestposts"] = balance.digestposts
            values.update({f: getattr(balance, f) for f in EXT_FIELDS})
            total = formula.evaluate(values)
            group = user.group_id
            if group in member_ids:
                group = member_group_for(total, groups) or group
            if (total, group) != (user.credits, user.group_id):
                user.credits, user.group_id = total, group
                touched.append(user)
        update_rows(User, touched, ["credits", "group_id"])
    return len(logs)


@dataclass(frozen=True)
class BulkChange:
    """One ledger row for :func:`apply_changes`: ``user_id``'s extcredits change by
    ``deltas`` (``{1..8: change}``), written as ``action`` with ``reason`` at ``created``;
    ``post_id``/``thread_id``: what it is about (or ``None``)."""

    user_id: int
    deltas: Mapping[int, int]
    action: str
    reason: str
    created: datetime
    post_id: int | None = None
    thread_id: int | None = None


def apply_changes(changes: Sequence[BulkChange]) -> int:
    """Bulk :func:`apply_change` for a loader's page (the importer's 评分 ratings): the
    same ledger rows, balances, totals and member groups as calling it once per change,
    in a fixed number of queries per call instead of five or six per change. The
    members' rows are locked in id order. Raises ``ValueError`` for an extcredit id
    outside 1–8. Returns how many ledger rows were written (all-zero changes write
    none). One transaction."""
    for change in changes:
        for key in change.deltas:
            if key not in range(1, 9):
                raise ValueError(f"extcredit id must be 1–8, not {key!r}")
    ids = sorted({c.user_id for c in changes})
    if not ids:
        return 0
    with transaction.atomic(savepoint=False):
        users = {
            u.pk: u
            for u in User.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .only("pk", "posts", "threads", "group_id", "credits")
        }
        balances = {b.pk: b for b in MemberCredits.objects.select_for_update().filter(pk__in=ids)}
        logs, new_balances = [], []
        changed: set[int] = set()
        for change in changes:
            if change.user_id not in users:
                raise User.DoesNotExist(f"no user {change.user_id}")
            clean = {k: int(v) for k, v in change.deltas.items() if v}
            if not clean:
                continue
            logs.append(
                CreditLog(
                    user_id=change.user_id,
                    action=change.action,
                    reason=change.reason[:100],
                    thread_id=change.thread_id,
                    post_id=change.post_id,
                    digest_delta=0,
                    created=change.created,
                    **{f"extcredits{k}": v for k, v in clean.items()},
                )
            )
            balance = balances.get(change.user_id)
            if balance is None:
                balance = balances[change.user_id] = MemberCredits(user_id=change.user_id)
                new_balances.append(balance)
            for k, v in clean.items():
                setattr(balance, f"extcredits{k}", getattr(balance, f"extcredits{k}") + v)
            changed.add(change.user_id)
        fresh = {b.user_id for b in new_balances}
        insert_instances(CreditLog, logs)
        insert_instances(MemberCredits, new_balances)
        update_rows(
            MemberCredits,
            [balances[uid] for uid in sorted(changed - fresh)],
            [*EXT_FIELDS, "digestposts"],
        )
        groups = _member_groups()
        member_ids = {g[0] for g in groups}
        formula = get_credit_settings().parsed
        touched = []
        for uid, user in users.items():
            balance = balances.get(uid) or MemberCredits(user_id=uid)
            values = {"posts": user.posts, "threads": user.threads}
            values["digestposts"] = balance.digestposts
            values.update({f: getattr(balance, f) for f in EXT_FIELDS})
            total = formula.evaluate(values)
            group = user.group_id
            if group in member_ids:
                group = member_group_for(total, groups) or group
            if (total, group) != (user.credits, user.group_id):
                user.credits, user.group_id = total, group
                touched.append(user)
        update_rows(User, touched, ["credits", "group_id"])
    return len(logs)


def revoke_digest(thread, *, now: datetime | None = None) -> None:
    """Give back what making ``thread`` a digest earned (取消精华): its ``digest`` ledger
    rows net of earlier revokes, amounts and the digest count. Nothing when the thread
    earned nothing (never made a digest, or already revoked)."""
    now = now or timezone.now()
    rows = CreditLog.objects.filter(thread_id=thread.pk, action__in=("digest", "undigest"))
    sums = (
        rows.values("user_id")
        .annotate(digest=Sum("digest_delta"), **{f: Sum(f) for f in EXT_FIELDS})
        .order_by("user_id")
    )
    for found in sums:
        row: dict = dict(found)
        back = {i: -row[f] for i, f in enumerate(EXT_FIELDS, start=1) if row[f]}
        if back or row["digest"]:
            apply_change(
                row["user_id"],
                back,
                "undigest",
                reason="取消精华",
                related=thread,
                digest_delta=-(row["digest"] or 0),
                now=now,
            )


#: The rules a board may override (Discuz! X3.4 版块积分设置: 发表主题, 发表回复, 加精华,
#: 上传附件, 下载附件 — the actions tied to a forum in ``forum_forumfield.creditspolicy``).
BOARD_RULE_ACTIONS = ("post", "reply", "digest", "postattach", "getattach")

#: Largest amount (either sign) an override may give per award.
MAX_OVERRIDE = 99999


def board_overrides(board_id: int) -> dict[int, dict[int, int]]:
    """``{rule id: {extcredit id: non-zero amount}}`` of the board's overrides (a rule
    with an override whose amounts are all 0 maps to ``{}``; a rule missing here uses its
    own amounts in that board)."""
    return {o.rule_id: o.deltas() for o in BoardCreditRule.objects.filter(board_id=board_id)}


def set_board_overrides(board_id: int, overrides: Mapping[int, Mapping[int, int] | None]) -> None:
    """Write a board's credit overrides (Discuz! 版块积分策略): for each rule id in
    ``overrides``, ``None`` drops the board's override (the rule's own amounts apply there
    again), a mapping ``{extcredit id 1–8: amount}`` sets it (ids left out are 0, so
    ``{}`` makes the action earn nothing in that board). Rules not in ``overrides`` are left
    as they are. Runs in the caller's transaction; the rules cache is cleared after commit.
    Raises ``ValueError`` for an unknown rule id, an extcredit id outside 1–8 or an amount
    beyond ±:data:`MAX_OVERRIDE` (nothing written)."""
    known = set(CreditRule.objects.filter(pk__in=list(overrides)).values_list("pk", flat=True))
    for rule_id, amounts in overrides.items():
        if rule_id not in known:
            raise ValueError(f"unknown credit rule {rule_id}")
        for ext, amount in (amounts or {}).items():
            if ext not in range(1, 9) or abs(int(amount)) > MAX_OVERRIDE:
                raise ValueError(f"bad amount extcredits{ext}={amount}")
    with transaction.atomic():
        for rule_id, amounts in overrides.items():
            if amounts is None:
                BoardCreditRule.objects.filter(board_id=board_id, rule_id=rule_id).delete()
                continue
            values = {
                f: int(amounts.get(i, 0)) for i, f in zip(range(1, 9), EXT_FIELDS, strict=True)
            }
            BoardCreditRule.objects.update_or_create(
                board_id=board_id, rule_id=rule_id, defaults=values
            )
        transaction.on_commit(lambda: cache.delete(RULES_CACHE_KEY))
