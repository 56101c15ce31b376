"""Discuz! ``home_notification`` → 提醒 (reply, quote, @, followed thread); other types
skipped; ``new`` decides read; a second run writes nothing; the member sees them."""

from __future__ import annotations

import pytest

from luntan.accounts.models import User
from luntan.notifications.models import Notification
from luntan.threads.models import Post, Thread

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


def test_home_notification_rows_come_over(synthetic_db, client):
    (uid,) = synthetic_db.query(
        "SELECT MIN(uid) FROM pre_common_member WHERE groupid NOT IN (4, 5, 6, 8)"
    )[0]
    (tid, pid, author_id, author) = synthetic_db.query(
        "SELECT p.tid, p.pid, p.authorid, p.author FROM pre_forum_post p "
        "JOIN pre_forum_thread t ON t.tid = p.tid AND t.displayorder = 0 AND t.readperm = 0 "
        "WHERE p.first = 0 AND p.invisible = 0 AND p.authorid > 0 ORDER BY p.pid LIMIT 1"
    )[0]
    note = (
        f'<a href="home.php?mod=space&uid={author_id}">{author}</a> 回复了您的帖子 '
        f'<a href="forum.php?mod=redirect&goto=findpost&ptid={tid}&pid={pid}">看看</a>'
    )
    synthetic_db.query(
        "INSERT INTO pre_home_notification (id, uid, type, new, authorid, author, note, "
        "dateline, from_id, from_idtype, from_num, category) VALUES "
        "(1, %s, 'post', 1, %s, %s, %s, 1700000000, %s, 'post', 1, 1), "
        "(2, %s, 'post', 0, %s, %s, '', 1700000100, %s, 'quote', 1, 1), "
        "(3, %s, 'friend', 1, %s, %s, '', 1700000200, 0, '', 1, 1), "
        "(4, 999999, 'at', 1, %s, %s, '', 1700000300, %s, 'at', 1, 1)",
        (
            uid, author_id, author, note, tid,
            uid, author_id, author, tid,
            uid, author_id, author,
            author_id, author, tid,
        ),
    )  # fmt: skip
    try:
        report = run_import(synthetic_db)
        member = User.objects.get(discuz_uid=uid)
        thread = Thread.objects.get(discuz_tid=tid)
        assert report["notifications"].created == 2
        assert report["notifications"].skipped == 2
        first = Notification.objects.get(discuz_id=1)
        assert (first.recipient_id, first.kind, first.thread_id, first.read_at) == (
            member.pk,
            "reply",
            thread.pk,
            None,
        )
        assert first.post_id == Post.objects.get(discuz_pid=pid).pk
        assert first.created.timestamp() == 1700000000
        second = Notification.objects.get(discuz_id=2)
        assert second.kind == "quote" and second.post_id is None
        assert second.read_at is not None
        client.force_login(member)
        page = client.get("/notifications/").content.decode()
        assert thread.subject in page and "回复了您的主题" in page

        before = list(Notification.objects.values())
        again = run_import(synthetic_db)
        assert again["notifications"].created == 0
        assert list(Notification.objects.values()) == before
    finally:
        synthetic_db.query("DELETE FROM pre_home_notification WHERE id IN (1, 2, 3, 4)")
