"""Import Discuz! X3.4 notifications (提醒): ``home_notification`` rows about posts →
:mod:`luntan.notifications`, through
:func:`luntan.notifications.services.import_notifications` (one transaction a page).

Discuz! ``notification_add`` (``source/include/post/post_newreply.php``) stores the
thread in ``from_id`` and says why in ``from_idtype``: ``post`` (a reply to the member's
thread) → ``reply``, ``quote`` → ``quote``, ``at`` (``type = 'at'``) → ``mention``,
``favoritethread`` → ``follow``. The post is read from the ``pid=N`` of the note's link
when there is one and it was imported in that thread. ``new = 0`` rows come over read.
Other notifications (friends, blogs, system, PMs, ratings, moderation, …) have no kind in
luntan and are skipped (counted), as are rows whose member or thread was not imported.
"""

from __future__ import annotations

import re

from luntan.accounts.models import User
from luntan.notifications.models import Notification
from luntan.notifications.services import ImportedNotification, import_notifications
from luntan.threads.models import Post, Thread

from .convert import unix_to_utc
from .source import DiscuzSource
from .upsert import TableStats

_SQL = (
    "SELECT id, uid, type, new, authorid, author, note, dateline, from_id, from_idtype "
    "FROM {home_notification} WHERE id > %s ORDER BY id LIMIT %s"
)
KINDS = {
    "post": Notification.Kind.REPLY,
    "quote": Notification.Kind.QUOTE,
    "at": Notification.Kind.MENTION,
    "favoritethread": Notification.Kind.FOLLOW,
}
_PID = re.compile(r"[?&;]pid=([0-9]{1,10})")


def _kind(row) -> str | None:
    if row["type"] == "at":
        return Notification.Kind.MENTION
    if row["type"] != "post":
        return None
    return KINDS.get(row["from_idtype"] or "")


def import_discuz_notifications(src: DiscuzSource, batch: int, stats: TableStats) -> None:
    """Bring the post notifications over (see the module doc)."""
    if not src.has("home_notification"):
        return
    for page in src.pages(src.sql(_SQL), "id", batch):
        stats.read += len(page)
        uids = {int(r["uid"]) for r in page} | {int(r["authorid"] or 0) for r in page}
        users = dict(User.objects.filter(discuz_uid__in=uids).values_list("discuz_uid", "pk"))
        tids = {int(r["from_id"]) for r in page}
        threads = dict(Thread.objects.filter(discuz_tid__in=tids).values_list("discuz_tid", "pk"))
        pids = {int(m.group(1)) for r in page for m in [_PID.search(r["note"] or "")] if m}
        posts = {
            pid: (pk, tid)
            for pid, pk, tid in Post.objects.filter(discuz_pid__in=pids).values_list(
                "discuz_pid", "pk", "thread_id"
            )
        }
        rows = []
        for r in page:
            kind = _kind(r)
            if kind is None:
                stats.skip(f"notifications of type {r['type'] or 'unknown'} (not about posts)")
                continue
            recipient = users.get(int(r["uid"]))
            if recipient is None:
                stats.skip("member not imported")
                continue
            thread_id = threads.get(int(r["from_id"]))
            if thread_id is None:
                stats.skip("thread not imported")
                continue
            m = _PID.search(r["note"] or "")
            post = posts.get(int(m.group(1))) if m else None
            rows.append(
                ImportedNotification(
                    discuz_id=int(r["id"]),
                    recipient_id=recipient,
                    kind=kind,
                    thread_id=thread_id,
                    post_id=post[0] if post and post[1] == thread_id else None,
                    actor_id=users.get(int(r["authorid"] or 0)),
                    actor_name=r["author"] or "",
                    created=unix_to_utc(r["dateline"]),
                    read=not int(r["new"] or 0),
                )
            )
        stats.created += import_notifications(rows)
