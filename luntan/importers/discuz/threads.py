"""Import threads (``forum_thread``) and posts (``forum_post`` and its 分表 archives).

Threads and posts are read in pages by ``tid`` / ``pid`` (keyset pagination), so memory
stays bounded whatever the size of the forum; each page is written in one transaction
through the posting pipeline's bulk entry point (:mod:`luntan.threads.posting.bulk`,
``Trust.IMPORT``: the same rows and counters as a member's post, without limits, censor
or credits). Members, boards and threads are looked up per page by their Discuz! ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from django.db import transaction

from luntan import search
from luntan.accounts.models import User
from luntan.iplocation import lookup_region
from luntan.threads import posting
from luntan.threads.models import Post, Thread

from .convert import (
    clean_ip,
    decode_highlight,
    decode_highlight_bold,
    post_state,
    sticky_level,
    thread_state,
    unescape_subject,
    unix_to_utc,
)
from .models import MovedThreadStub, PendingIndex
from .source import DiscuzSource
from .upsert import TableStats, upsert

_THREAD_SQL = (
    "SELECT tid, fid, posttableid, typeid, author, authorid, subject, dateline, lastpost, "
    "lastposter, views, replies, displayorder, highlight, digest, closed, maxposition, readperm "
    "FROM {table} WHERE tid > %s ORDER BY tid LIMIT %s"
)
_POST_SQL = (
    "SELECT pid, tid, author, authorid, dateline, message, useip, invisible, anonymous, "
    "position FROM {%s} WHERE pid > %%s ORDER BY pid LIMIT %%s"
)
_IP_CACHE_MAX = 50_000  # ≈ 12 MB of answers; cleared when full


class _PostValues(TypedDict):
    """The :class:`Post` fields imported from one ``forum_post`` row."""

    discuz_pid: int
    thread_id: int
    floor: int
    author_id: int | None
    author_name: str
    is_anonymous: bool
    created: datetime
    source: str
    format: str
    ip: str | None
    ip_region: str
    state: int


def _user_pks(uids) -> dict[int, int]:
    wanted = {int(u) for u in uids if int(u) > 0}
    if not wanted:
        return {}
    pks: dict[int, int] = {}
    for uid, pk in User.objects.filter(discuz_uid__in=wanted).values_list("discuz_uid", "pk"):
        if uid is None:  # discuz_uid__in never matches NULL
            raise AssertionError("a user matched discuz_uid__in without a discuz_uid")
        pks[uid] = pk
    return pks


# Thread fields a luntan site changes by itself after the first import.
_LOCAL_COUNTERS = ("replies", "last_post_at", "last_poster_name")


class ThreadImporter:
    """Imports ``forum_thread`` rows of imported boards.

    ``boards``: ``{fid: board pk}``; ``types``: ``{typeid: (type pk, board pk)}``.
    Moved-thread stubs (``closed`` > 1) are not imported but kept as
    :class:`MovedThreadStub` so the old tid still leads to the moved thread.
    """

    def __init__(self, src: DiscuzSource, boards, types, batch: int, progress):
        self.src, self.boards, self.types = src, boards, types
        self.batch, self.progress = batch, progress
        self.stats = TableStats("threads", "forum_thread, forum_thread_N")

    def _values(self, row: dict, users: dict[int, int]) -> dict | None:
        board = self.boards.get(int(row["fid"]))
        if board is None:
            self.stats.skip("board not imported")
            return None
        type_pk = None
        if int(row["typeid"]):
            found = self.types.get(int(row["typeid"]))
            if found is not None and found[1] == board:
                type_pk = found[0]
        displayorder = int(row["displayorder"])
        return {
            "discuz_tid": int(row["tid"]),
            "board_id": board,
            "type_id": type_pk,
            "subject": unescape_subject(row["subject"])[:255],  # char(80) in Discuz!: whole
            "author_id": users.get(int(row["authorid"])),
            "author_name": row["author"] or "",
            "is_anonymous": not row["author"],
            "created": unix_to_utc(row["dateline"]),
            "last_post_at": unix_to_utc(row["lastpost"] or row["dateline"]),
            "last_poster_name": (row["lastposter"] or "")[:15],
            "views": max(int(row["views"]), 0),
            "replies": max(int(row["replies"]), 0),
            "max_floor": max(int(row["maxposition"]), 0),
            "sticky": sticky_level(displayorder),
            "digest": min(max(int(row["digest"]), 0), 3),
            "closed": int(row["closed"]) == 1,
            "highlight": decode_highlight(row["highlight"]),
            "read_level": min(max(int(row["readperm"] or 0), 0), 255),  # 阅读权限
            "highlight_bold": decode_highlight_bold(row["highlight"]),
            "state": thread_state(displayorder),
        }

    def _write(self, page: list[dict]) -> None:
        stubs, values = [], []
        users = _user_pks(row["authorid"] for row in page)
        for row in page:
            if int(row["closed"]) > 1:
                stubs.append(
                    {"discuz_tid": int(row["tid"]), "target_discuz_tid": int(row["closed"])}
                )
                self.stats.skip("moved-thread stubs (kept as redirects)")
                continue
            value = self._values(row, users)
            if value is not None:
                values.append(value)
        with transaction.atomic():
            existing = Thread.objects.in_bulk(
                [v["discuz_tid"] for v in values], field_name="discuz_tid"
            )
            for value in values:
                old = existing.get(value["discuz_tid"])
                if old is not None:
                    # Re-import into a live site: members may have replied and read here
                    # since. Views only grow; replies and the last post are recounted
                    # from the rows by the post step (never taken from Discuz! again).
                    for name in _LOCAL_COUNTERS:
                        del value[name]
                    value["views"] = max(value["views"], old.views)
                    value["max_floor"] = max(value["max_floor"], old.max_floor)
            done = posting.import_threads(values, existing=existing, trust=posting.Trust.IMPORT)
            self.stats.created += done.created
            self.stats.updated += done.updated
            if stubs:
                have = MovedThreadStub.objects.in_bulk(
                    [s["discuz_tid"] for s in stubs], field_name="discuz_tid"
                )
                upsert(MovedThreadStub, "discuz_tid", stubs, have, TableStats("stubs"))

    def run(self) -> TableStats:
        """Import every thread of ``forum_thread`` and the 主题分表 archives
        ``forum_thread_N``; returns the counts. Prints one progress line per page."""
        for table in self.src.thread_tables():
            sql = self.src.sql(_THREAD_SQL, table=table)
            for page in self.src.pages(sql, "tid", self.batch):
                self.stats.read += len(page)
                self._write(page)
                self.progress(self.stats.line())
        return self.stats.finish()


def index_pending(stats: TableStats) -> None:
    """Index the posts of batches a killed run of an earlier version committed but did
    not index (:class:`PendingIndex`), then forget them. Batches are now indexed in
    their own transaction, so no new rows are written."""

    for pending in PendingIndex.objects.order_by("pk"):
        pks = Post.objects.filter(discuz_pid__in=pending.discuz_pids).values_list("pk", flat=True)
        search.index_posts(list(pks))
        PendingIndex.objects.filter(pk=pending.pk).delete()
        stats.notes["posts of a killed run indexed"] = stats.notes.get(
            "posts of a killed run indexed", 0
        ) + len(pending.discuz_pids)


class PostImporter:
    """Imports posts of imported threads from ``forum_post`` and ``forum_post_N``.

    The message is kept as BBCode source and rendered with :func:`luntan.markup.render`;
    a post whose source and renderer version are unchanged is not rendered again. The IP
    location (``lookup_region``) is cached per address for the run.
    """

    def __init__(self, src: DiscuzSource, batch: int, progress):
        self.src, self.batch, self.progress = src, batch, progress
        self.stats = TableStats("posts", "forum_post, forum_post_N")
        self.regions: dict[str, str] = {}
        self.touched_threads: set[int] = set()

    def _region(self, ip: str | None) -> str:
        if not ip:
            return ""
        found = self.regions.get(ip)
        if found is None:
            if len(self.regions) >= _IP_CACHE_MAX:
                self.regions.clear()
            found = self.regions[ip] = lookup_region(ip)
        return found

    def _state(self, invisible: int, thread_state: int) -> int:
        """``Post.State`` of a post: :func:`post_state`, except that ``invisible`` -1 in a
        thread that is not in the recycle bin is a reply moved to the recycle bin (Discuz!
        sets -1 on a deleted reply when the board's 回收站 is on, -5 in later versions):
        it becomes DELETED so it is neither counted nor the last post."""
        state = post_state(invisible)
        if state == Post.State.RECYCLED and thread_state != Thread.State.RECYCLED:
            self.stats.notes["recycle-bin replies (invisible -1) in live threads"] = (
                self.stats.notes.get("recycle-bin replies (invisible -1) in live threads", 0) + 1
            )
            return Post.State.DELETED
        return state

    def _write(self, page: list[dict]) -> None:
        threads = {}
        thread_states = {}
        subjects = {}
        for tid, pk, state, subject in Thread.objects.filter(
            discuz_tid__in={int(r["tid"]) for r in page}
        ).values_list("discuz_tid", "pk", "state", "subject"):
            threads[tid], thread_states[pk], subjects[pk] = pk, state, subject
        users = _user_pks(row["authorid"] for row in page)
        rows = []
        for row in page:
            thread = threads.get(int(row["tid"]))
            if thread is None:
                self.stats.skip("thread not imported")
            elif int(row["position"]) <= 0:
                self.stats.skip("no floor (position 0)")
            else:
                rows.append((row, thread))
        with transaction.atomic():
            existing = Post.objects.in_bulk(
                [int(row["pid"]) for row, _ in rows], field_name="discuz_pid"
            )
            values: list[_PostValues] = []
            for row, thread in rows:
                ip = clean_ip(row["useip"])
                values.append(
                    {
                        "discuz_pid": int(row["pid"]),
                        "thread_id": thread,
                        "floor": int(row["position"]),
                        "author_id": users.get(int(row["authorid"])),
                        "author_name": (row["author"] or "")[:15],
                        "is_anonymous": bool(int(row["anonymous"])),
                        "created": unix_to_utc(row["dateline"]),
                        "source": row["message"] or "",
                        "format": Post.Format.BBCODE,
                        "ip": ip,
                        "ip_region": self._region(ip),
                        "state": self._state(int(row["invisible"]), thread_states[thread]),
                    }
                )
            done = posting.import_posts(
                list(values), existing=existing, trust=posting.Trust.IMPORT, index=False
            )
            self.stats.created += done.created
            self.stats.updated += done.updated
            if done.changed:
                wrote = set(done.changed)
                self.touched_threads.update(
                    thread for row, thread in rows if int(row["pid"]) in wrote
                )
                # Indexed in the batch's transaction, from the rows in hand: the index
                # entries commit with the posts, so a killed run leaves none out.
                pks = dict(
                    Post.objects.filter(discuz_pid__in=wrote).values_list("discuz_pid", "pk")
                )
                search.index_post_rows(
                    (
                        pks[v["discuz_pid"]],
                        v["floor"],
                        subjects[v["thread_id"]],
                        v["source"],
                        v["format"],
                    )
                    for v in values
                    if v["discuz_pid"] in wrote
                )

    def run(self) -> TableStats:
        """Import the posts of every post table, then recount the replies and last post of
        the threads whose posts were created or changed (from the rows, as
        ``luntan rebuild_counters`` does, so replies written in luntan since an earlier
        import are kept). Returns the counts."""
        index_pending(self.stats)
        for name in self.src.post_tables():
            sql = self.src.sql(_POST_SQL % name)
            for page in self.src.pages(sql, "pid", self.batch):
                self.stats.read += len(page)
                self._write(page)
                self.progress(self.stats.line())
        touched = sorted(self.touched_threads)
        for start in range(0, len(touched), self.batch):
            posting.recount_threads(touched[start : start + self.batch], trust=posting.Trust.IMPORT)
        return self.stats.finish()
