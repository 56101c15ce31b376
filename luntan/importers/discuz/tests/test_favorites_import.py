"""Discuz! ``home_favorite`` → favourites (thread favourites also followed); other kinds
skipped; a second run writes nothing; the member sees them on 我的收藏."""

from __future__ import annotations

import pytest

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.favorites.models import Favorite, Follow
from luntan.threads.models import Thread

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


def test_home_favorite_rows_come_over(synthetic_db, client):
    (uid,) = synthetic_db.query(
        "SELECT MIN(uid) FROM pre_common_member WHERE groupid NOT IN (4, 5, 6, 8)"
    )[0]
    (tid, subject) = synthetic_db.query(
        "SELECT tid, subject FROM pre_forum_thread WHERE displayorder = 0 AND readperm = 0 "
        "ORDER BY tid LIMIT 1"
    )[0]
    (fid,) = synthetic_db.query(
        "SELECT fid FROM pre_forum_forum WHERE type = 'forum' AND status = 1 ORDER BY fid LIMIT 1"
    )[0]
    synthetic_db.query(
        "INSERT INTO pre_home_favorite (favid, uid, id, idtype, spaceuid, title, description, "
        "dateline) VALUES (1, %s, %s, 'tid', 0, %s, '', 1700000000), "
        "(2, %s, %s, 'fid', 0, 'board', '', 1700000100), "
        "(3, %s, 7, 'blogid', 0, 'blog', '', 1700000200), "
        "(4, 999999, %s, 'tid', 0, 'gone', '', 1700000300)",
        (uid, tid, subject, uid, fid, uid, tid),
    )
    try:
        report = run_import(synthetic_db)
        member = User.objects.get(discuz_uid=uid)
        thread = Thread.objects.get(discuz_tid=tid)
        board = Board.objects.get(discuz_fid=fid)
        assert report["favourites"].created == 2
        assert report["favourites"].skipped == 2
        fav = Favorite.objects.get(discuz_favid=1)
        assert (fav.user_id, fav.thread_id, fav.created.timestamp()) == (
            member.pk,
            thread.pk,
            1700000000,
        )
        assert Favorite.objects.get(discuz_favid=2).board_id == board.pk
        assert list(Follow.objects.values_list("user_id", "thread_id")) == [(member.pk, thread.pk)]
        client.force_login(member)
        assert thread.subject in client.get("/favorites/").content.decode()

        before = list(Favorite.objects.values()), list(Follow.objects.values())
        again = run_import(synthetic_db)
        assert again["favourites"].created == 0
        assert (list(Favorite.objects.values()), list(Follow.objects.values())) == before
    finally:
        synthetic_db.query("DELETE FROM pre_home_favorite WHERE favid IN (1, 2, 3, 4)")
