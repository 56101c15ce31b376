"""Rebuild stored credits from the ledger (Misago's ``synchronize*`` pattern).

:func:`rebuild_credits` sets every :class:`~luntan.credits.models.MemberCredits` row to
the sums of the member's :class:`~luntan.credits.models.CreditLog` rows, then each
member's total (``User.credits``) by the formula and their member group. Members without
ledger rows get zero balances. Returns how many members had anything changed.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Sum

from luntan.accounts.models import User
from luntan.credits import services
from luntan.credits.models import EXT_FIELDS, CreditLog, MemberCredits
from luntan.threads.models import Thread


def rebuild_credits(*, digests_from_threads: bool = False, batch: int = 1000) -> int:
    """Recompute balances, totals and groups for all members; see the module docstring.

    ``digests_from_threads``: take the digest count from threads (``digest > 0`` by
    author) instead of the ledger's ``digest_delta`` sums (imported sites whose digests
    came without ledger rows).
    """
    sums = {
        row["user_id"]: row
        for row in CreditLog.objects.values("user_id")
        .annotate(digest=Sum("digest_delta"), **{f: Sum(f) for f in EXT_FIELDS})
        .order_by()
    }
    digests: dict[int, int] = {}
    if digests_from_threads:
        digests = dict(
            Thread.objects.filter(digest__gt=0, state=Thread.State.NORMAL)
            .exclude(author=None)
            .values("author_id")
            .annotate(n=Count("*"))
            .order_by()
            .values_list("author_id", "n")
        )
    changed = 0
    ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        for user_id in ids[start : start + batch]:
            row: dict = dict(sums.get(user_id, {}))
            want = {f: row.get(f) or 0 for f in EXT_FIELDS}
            want["digestposts"] = (
                digests.get(user_id, 0) if digests_from_threads else row.get("digest") or 0
            )
            with transaction.atomic():
                user, balance = services._lock(user_id)
                before = (user.credits, user.group_id)
                dirty = any(getattr(balance, k) != v for k, v in want.items())
                if dirty:
                    for k, v in want.items():
                        setattr(balance, k, v)
                    if balance._state.adding:
                        balance.save(force_insert=True)
                    else:
                        MemberCredits.objects.filter(pk=user_id).update(**want)
                services._refresh_locked(user, balance)
                after = User.objects.filter(pk=user_id).values_list("credits", "group_id").get()
                if dirty or after != before:
                    changed += 1
    return changed


def rebuild_member_totals() -> int:
    """Recompute the total credits (``User.credits``, by the site formula from ``posts``,
    ``threads``, the digest count and the balances) and member group of every member
    whose stored total differs (:func:`luntan.credits.services.refresh_member`).
    Runs after :func:`luntan.threads.counters.rebuild_member_counters` (registered there): a corrected post count changes the total.
    Reads every member once; writes only the drifted ones. Returns how many."""
    fields = ["digestposts", *EXT_FIELDS]
    rows = User.objects.values(
        "pk", "posts", "threads", "credits", *(f"credit_balance__{f}" for f in fields)
    )
    drifted = []
    for row in rows.iterator(chunk_size=2000):
        values = {"posts": row["posts"], "threads": row["threads"]}
        values.update({f: row[f"credit_balance__{f}"] or 0 for f in fields})
        if services.total_for(values) != row["credits"]:
            drifted.append(row["pk"])
    for user_id in drifted:
        services.refresh_member(user_id)
    return len(drifted)


def rebuild_member(user_id: int) -> None:
    """Set one member's balances and digest count to the sums of their ledger rows, then
    their total and member group (after ledger rows were moved to them, e.g. the 管理中心
    merging two accounts). Runs in the caller's transaction (locks the member)."""
    row = CreditLog.objects.filter(user_id=user_id).aggregate(
        digest=Sum("digest_delta"), **{f: Sum(f) for f in EXT_FIELDS}
    )
    want = {f: row.get(f) or 0 for f in EXT_FIELDS}
    want["digestposts"] = row.get("digest") or 0
    with transaction.atomic():
        user, balance = services._lock(user_id)
        for k, v in want.items():
            setattr(balance, k, v)
        if balance._state.adding:
            balance.save(force_insert=True)
        else:
            MemberCredits.objects.filter(pk=user_id).update(**want)
        services._refresh_locked(user, balance)
