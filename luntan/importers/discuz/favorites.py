"""Import Discuz! X3.4 favourites (收藏): ``home_favorite`` rows with ``idtype`` ``tid``
(threads) and ``fid`` (boards) of imported members → :mod:`luntan.favorites`, through
:func:`luntan.favorites.services.import_favorites` (one transaction a page). A thread
favourite also becomes a follow (订阅): Discuz! tells a thread's favouriters about its
replies. Favourites of blogs, albums, articles, members and groups (``blogid``,
``albumid``, ``aid``, ``uid``, ``gid``) have no home in luntan and are skipped (counted).
"""

from __future__ import annotations

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.favorites.services import ImportedFavorite, import_favorites
from luntan.threads.models import Thread

from .convert import unix_to_utc
from .source import DiscuzSource
from .upsert import TableStats

_SQL = (
    "SELECT favid, uid, id, idtype, dateline FROM {home_favorite} "
    "WHERE favid > %s ORDER BY favid LIMIT %s"
)


def import_discuz_favorites(src: DiscuzSource, batch: int, stats: TableStats) -> None:
    """Bring the thread and board favourites over (see the module doc)."""
    if not src.has("home_favorite"):
        return
    for page in src.pages(src.sql(_SQL), "favid", batch):
        stats.read += len(page)
        uids = {int(r["uid"]) for r in page}
        users = {
            int(uid): pk
            for uid, pk in User.objects.filter(discuz_uid__in=uids).values_list("discuz_uid", "pk")
            if uid is not None
        }
        tids = {int(r["id"]) for r in page if r["idtype"] == "tid"}
        fids = {int(r["id"]) for r in page if r["idtype"] == "fid"}
        threads = {
            int(tid): pk
            for tid, pk in Thread.objects.filter(discuz_tid__in=tids).values_list(
                "discuz_tid", "pk"
            )
            if tid is not None
        }
        boards = {
            int(fid): pk
            for fid, pk in Board.objects.filter(discuz_fid__in=fids, redirect_url="")
            .exclude(kind=Board.Kind.CATEGORY)
            .values_list("discuz_fid", "pk")
            if fid is not None
        }
        rows = []
        for r in page:
            user_id = users.get(int(r["uid"]))
            kind = r["idtype"]
            if kind not in ("tid", "fid"):
                stats.skip(f"favourites of {kind or 'unknown'} (no such thing in luntan)")
                continue
            if user_id is None:
                stats.skip("member not imported")
                continue
            target = (threads if kind == "tid" else boards).get(int(r["id"]))
            if target is None:
                stats.skip("thread or board not imported")
                continue
            rows.append(
                ImportedFavorite(
                    favid=int(r["favid"]),
                    user_id=user_id,
                    created=unix_to_utc(r["dateline"]),
                    thread_id=target if kind == "tid" else None,
                    board_id=target if kind == "fid" else None,
                )
            )
        stats.created += import_favorites(rows)
