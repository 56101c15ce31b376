"""Import members' credit balances (``common_member_count.extcredits1..8``, ``digestposts``)
as opening ledger rows (:func:`luntan.credits.services.set_opening_balances`, one bulk
call per page).

Runs after the members: each imported member (``User.discuz_uid``) gets one ``import``
ledger row making their balances equal Discuz!'s, and their total (``User.credits``) is
recomputed by the site formula — for a Discuz! site on the default formula that is the
``common_member.credits`` it had. A re-import writes only the differences.
"""

from __future__ import annotations

from django.db import transaction

from luntan.accounts.models import User
from luntan.credits.services import set_opening_balances

from .source import DiscuzSource
from .upsert import TableStats

_SQL = (
    "SELECT uid, extcredits1, extcredits2, extcredits3, extcredits4, extcredits5, "
    "extcredits6, extcredits7, extcredits8, digestposts FROM {t} "
    "WHERE uid > %s ORDER BY uid LIMIT %s"
)


def import_credit_balances(src: DiscuzSource, batch: int, progress) -> TableStats:
    """Bring every member's extcredits and digest count over; returns the counts
    (``created``: members whose opening row was written or changed)."""
    stats = TableStats("credit balances", "common_member_count(_archive)")
    for suffix in ("", "_archive"):
        table = "common_member_count" + suffix
        if not src.has(table):
            continue
        sql = src.sql(_SQL, t=table)
        for page in src.pages(sql, "uid", batch):
            stats.read += len(page)
            users = dict(
                User.objects.filter(discuz_uid__in=[r["uid"] for r in page]).values_list(
                    "discuz_uid", "pk"
                )
            )
            wanted = {}
            for row in page:
                pk = users.get(row["uid"])
                if pk is None:
                    stats.skip("no imported member")
                    continue
                balances = {i: int(row[f"extcredits{i}"] or 0) for i in range(1, 9)}
                wanted[pk] = (balances, int(row["digestposts"] or 0))
            with transaction.atomic():
                stats.created += set_opening_balances(wanted)
            progress(stats.line())
    return stats.finish()
