"""Counters computed from what was imported (issue 10 item 4), compared with Discuz!'s.

luntan never copies Discuz!'s stored counters: members' ``posts``/``threads`` are counted
from the imported rows the way ``luntan rebuild_counters`` counts them (visible posts in
normal threads; normal threads), threads' replies and last post by
:func:`luntan.threads.counters.rebuild_thread_counters` in the post step, boards' by
:func:`luntan.importers.discuz.service.update_board_counters`. This module writes the
member counts and lists where the result differs from Discuz!'s stored
``common_member_count.posts/threads/digestposts``, ``forum_thread.replies`` and
``forum_forum.threads/posts`` (the import report shows the list; luntan's value is kept).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.core.bulk import update_rows
from luntan.threads.models import Post, Thread

from .source import DiscuzSource
from .upsert import TableStats

MAX_LISTED = 30  # differences listed one by one per kind; the rest are counted


def _differences(kind: str, diffs: list[str], out: list[str]) -> None:
    if not diffs:
        return
    out.append(f"{kind}: {len(diffs)} differ")
    out.extend(f"  {line}" for line in diffs[:MAX_LISTED])
    if len(diffs) > MAX_LISTED:
        out.append(f"  … and {len(diffs) - MAX_LISTED} more")


def recount_members(
    src: DiscuzSource, batch: int, stats: TableStats, differences: list[str]
) -> None:
    """Set every imported member's ``posts``/``threads`` from the imported rows and
    append to ``differences`` the members whose Discuz! ``common_member_count`` said
    otherwise (posts, threads, digestposts = their normal threads with 精华)."""
    posts = dict(
        Post.objects.filter(
            state=Post.State.VISIBLE, thread__state=Thread.State.NORMAL, author__isnull=False
        )
        .order_by()
        .values("author_id")
        .annotate(n=Count("pk"))
        .values_list("author_id", "n")
    )
    normal = Thread.objects.filter(state=Thread.State.NORMAL, author__isnull=False).order_by()
    threads = dict(normal.values("author_id").annotate(n=Count("pk")).values_list("author_id", "n"))
    digests = dict(
        normal.filter(digest__gt=0)
        .values("author_id")
        .annotate(n=Count("pk"))
        .values_list("author_id", "n")
    )
    diffs: list[str] = []
    for suffix in ("", "_archive"):
        table = "common_member_count" + suffix
        if not src.has(table):
            continue
        sql = src.sql(
            "SELECT uid, posts, threads, digestposts FROM {t} WHERE uid > %s ORDER BY uid LIMIT %s",
            t=table,
        )
        for page in src.pages(sql, "uid", batch):
            stats.read += len(page)
            users = User.objects.in_bulk([int(r["uid"]) for r in page], field_name="discuz_uid")
            changed = []
            for row in page:
                user = users.get(int(row["uid"]))
                if user is None:
                    stats.skip("member not imported")
                    continue
                want = (posts.get(user.pk, 0), threads.get(user.pk, 0))
                if (user.posts, user.threads) != want:
                    user.posts, user.threads = want
                    changed.append(user)
                stored = (int(row["posts"]), int(row["threads"]), int(row["digestposts"]))
                mine = (*want, digests.get(user.pk, 0))
                if stored != mine:
                    diffs.append(
                        f"{user.username} (uid {user.discuz_uid}): posts/threads/digests "
                        f"luntan {mine[0]}/{mine[1]}/{mine[2]}, Discuz! {stored[0]}/{stored[1]}/{stored[2]}"
                    )
            with transaction.atomic():
                update_rows(User, changed, ["posts", "threads"])
            stats.updated += len(changed)
    _differences("member counters", diffs, differences)


def compare_threads_and_boards(src: DiscuzSource, batch: int, differences: list[str]) -> None:
    """Append to ``differences`` the imported threads whose replies differ from
    ``forum_thread.replies`` and the boards whose threads/posts differ from
    ``forum_forum`` (the moved-thread stubs Discuz! counts are not imported)."""
    diffs: list[str] = []
    for table in src.thread_tables():
        sql = src.sql(
            "SELECT tid, replies FROM {t} WHERE displayorder >= 0 AND closed <= 1 AND tid > %s "
            "ORDER BY tid LIMIT %s",
            t=table,
        )
        for page in src.pages(sql, "tid", batch):
            mine = dict(
                Thread.objects.filter(discuz_tid__in=[int(r["tid"]) for r in page]).values_list(
                    "discuz_tid", "replies"
                )
            )
            for row in page:
                tid = int(row["tid"])
                if tid in mine and mine[tid] != int(row["replies"]):
                    diffs.append(f"tid {tid}: replies luntan {mine[tid]}, Discuz! {row['replies']}")
    _differences("thread replies", diffs, differences)
    diffs = []
    boards = {
        b["discuz_fid"]: b
        for b in Board.objects.filter(discuz_fid__isnull=False).values(
            "discuz_fid", "name", "threads", "posts"
        )
    }
    for fid, threads, posts in src.fetchall(
        src.sql("SELECT fid, threads, posts FROM {forum_forum}")
    ):
        board = boards.get(int(fid))
        if board and (board["threads"], board["posts"]) != (int(threads), int(posts)):
            diffs.append(
                f"{board['name']} (fid {fid}): threads/posts luntan {board['threads']}/"
                f"{board['posts']}, Discuz! {threads}/{posts}"
            )
    _differences("board counters", diffs, differences)


__all__ = ["compare_threads_and_boards", "recount_members"]
