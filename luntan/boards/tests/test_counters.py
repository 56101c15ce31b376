"""Site statistics kept as counters: 今日/昨日 per board and the member count.

The board index reads them instead of counting rows, so its cost does not grow with the
site; each test checks the counters against what ``rebuild_counters`` recounts.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from luntan.boardpages.queries import index_data
from luntan.boards import counters
from luntan.boards.models import Board, SiteStats
from luntan.boards.queries import site_day_starts
from luntan.core.tests.pages import configure_site
from luntan.threads.posting import Trust
from luntan.threads.services import delete_post
from luntan.threads.tests.factories import (
    make_board,
    make_category,
    make_reply,
    make_thread,
    make_user,
)

pytestmark = pytest.mark.django_db


def stats_line(client) -> str:
    html = client.get("/").content.decode()
    found = re.search(r'<p class="stats">(.*?)</p>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def counts(board: Board, now) -> tuple[int, int]:
    board.refresh_from_db()
    return counters.day_counts(board, counters.site_date(now))


def rebuilt(board: Board, now) -> tuple[int, int]:
    call_command("rebuild_counters", verbosity=0)
    return counts(board, now)


def test_today_and_yesterday_follow_posts_deletes_and_the_turn_of_the_day():
    board = make_board("闲聊", parent=make_category())
    now = timezone.now()
    today, yesterday = site_day_starts(now)
    author = make_user()
    thread = make_thread(board, author, now=yesterday + timedelta(hours=1))
    make_reply(thread, author, now=yesterday + timedelta(hours=2))
    late = make_reply(thread, author, now=today + timedelta(minutes=1))
    make_reply(thread, author, now=today + timedelta(minutes=2))
    assert counts(board, now) == (2, 2)
    delete_post(trust=Trust.MEMBER, post=late, actor=author)
    assert counts(board, now) == (1, 2) == rebuilt(board, now)
    # Tomorrow, before anyone posts: today's posts are yesterday's, nothing is today's.
    assert counts(board, now + timedelta(days=1)) == (0, 1)
    assert counts(board, now + timedelta(days=2)) == (0, 0)


def test_the_first_post_of_a_new_day_rolls_the_counters_over():
    board = make_board("闲聊", parent=make_category())
    now = timezone.now()
    today, _ = site_day_starts(now)
    author = make_user()
    thread = make_thread(board, author, now=today - timedelta(days=3))  # an old thread
    make_reply(thread, author, now=today - timedelta(hours=1))  # yesterday
    make_reply(thread, author, now=today + timedelta(minutes=5))
    assert counts(board, now) == (1, 1) == rebuilt(board, now)


def test_deleting_a_thread_takes_its_recent_posts_out_of_today():
    board = make_board("闲聊", parent=make_category())
    now = timezone.now()
    today, _ = site_day_starts(now)
    author = make_user()
    make_thread(board, author, now=today + timedelta(minutes=1))
    doomed = make_thread(board, author, now=today + timedelta(minutes=2))
    make_reply(doomed, author, now=today + timedelta(minutes=3))
    assert counts(board, now) == (3, 0)
    delete_post(trust=Trust.MEMBER, post=doomed.post_set.get(floor=1), actor=author)
    assert counts(board, now) == (1, 0) == rebuilt(board, now)


def test_member_count_and_newest_member_follow_registrations_and_deactivation(client):
    configure_site()
    make_user("老会员")
    newest = make_user("新来的")
    assert "会员: 2 | 欢迎新会员: 新来的" in stats_line(client)
    newest.is_active = False
    newest.save()
    assert "会员: 1 | 欢迎新会员: 老会员" in stats_line(client)
    newest.is_active = True
    newest.save()
    assert "会员: 2 | 欢迎新会员: 新来的" in stats_line(client)
    newest.delete()
    assert "会员: 1 | 欢迎新会员: 老会员" in stats_line(client)
    SiteStats.objects.update(members=99)  # drift, repaired by the rebuild command
    call_command("rebuild_counters", verbosity=0)
    assert "会员: 1 | 欢迎新会员: 老会员" in stats_line(client)


def test_a_login_does_not_touch_the_member_count(client):
    user = make_user("常客")
    before = SiteStats.objects.get(pk=1).members
    user.set_password("pw-常客-123456")
    user.save()
    client.force_login(user)
    assert SiteStats.objects.get(pk=1).members == before == 1


def test_site_totals_are_sums_of_the_boards_counters():
    cat = make_category()
    a, b = make_board("甲", parent=cat), make_board("乙", parent=cat)
    now = timezone.now()
    today, _ = site_day_starts(now)
    author = make_user()
    make_thread(a, author, now=today + timedelta(minutes=1))
    make_thread(b, author, now=today + timedelta(minutes=2))
    make_thread(b, author, now=today - timedelta(hours=2))
    data = index_data(None, now=now)
    assert (data.today, data.yesterday) == (2, 1)


def test_board_page_one_finds_stickies_and_stubs_through_indexes(client):
    """Page 1's other-board rows come from the sticky partial index and the moved-thread
    index, not from a scan of every thread on the site (the database's plan says which;
    PostgreSQL is told to avoid sequential scans, which it then uses only when no index
    can serve the condition)."""
    from django.test.utils import CaptureQueriesContext

    board = make_board("闲聊", parent=make_category())
    make_thread(board, make_user())
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/f/{board.pk}/").status_code == 200
    extras = [q["sql"] for q in captured.captured_queries if "moderation_movedthread" in q["sql"]]
    assert len(extras) == 1
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + extras[0])
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
            assert "thread_wide_sticky_idx" in plan
            assert "Seq Scan on threads_thread" not in plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + extras[0])
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "thread_wide_sticky_idx" in plan
            assert "SCAN threads_thread" not in plan.replace("SCAN threads_thread USING", "")
