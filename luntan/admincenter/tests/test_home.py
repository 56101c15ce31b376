"""首页: the numbers and the server-drawn charts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from luntan.admincenter import charts, stats
from luntan.admincenter.tests.helpers import admin_client
from luntan.moderation.models import Report
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def test_posts_per_day_uses_the_site_time_zone():
    board = make_board("新闻")
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # 20:00 in Shanghai
    # 2026-12-02 17:00 UTC is 12-03 01:00 in Shanghai: counts for today, not yesterday.
    make_thread(board=board, now=datetime(2026, 12, 2, 17, 0, tzinfo=UTC))
    make_thread(board=board, now=datetime(2026, 12, 2, 15, 0, tzinfo=UTC))  # 12-02 23:00
    series = stats.posts_per_day(30, now=now)
    assert len(series) == 30
    assert series[-1] == (datetime(2026, 12, 3).date(), 1)
    assert series[-2] == (datetime(2026, 12, 2).date(), 1)
    assert sum(n for _d, n in series) == 2


def test_busiest_boards_counts_recent_posts():
    news, chat = make_board("新闻"), make_board("闲聊灌水")
    thread = make_thread(board=chat)
    make_reply(thread)
    make_reply(thread)
    make_thread(board=news)
    assert stats.busiest_boards(30) == [("闲聊灌水", 3), ("新闻", 1)]


def test_column_chart_draws_one_escaped_bar_per_point():
    svg = str(charts.column_chart([("a<b", 3), ("12-02", 0), ("12-03", 7)], label="每日<发帖>"))
    assert svg.startswith("<svg") and svg.count('class="bar"') == 3
    assert "a&lt;b" in svg and "每日&lt;发帖&gt;" in svg
    assert 'data-value="7"' in svg
    assert ">10<" in svg  # the y axis top: 7 rounds up to 10


def test_home_page_shows_totals_queues_health_and_charts():
    client = admin_client()
    board = make_board("新闻")
    thread = make_thread(board=board)
    reply = make_reply(thread)
    Report.objects.create(
        post=reply, reporter=make_user("举报人"), reason="广告", created=datetime.now(UTC)
    )
    response = client.get("/admin-center/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="ac-chart"') == 3
    assert response.context["queues"].open_reports == 1
    assert response.context["queues"].pending_members == 0
    assert response.context["totals"]["posts"] == 2
    assert "系统状态" in html and "版本" in html
    year = client.get("/admin-center/?days=365")
    assert year.context["days"] == 365
    assert year.content.decode().count('class="bar"') >= 365
    assert client.get("/admin-center/?days=abc").context["days"] == 30


def test_members_per_day_counts_registrations():
    user = make_user("新会员")
    user.date_joined = datetime.now(UTC) - timedelta(days=400)
    user.save(update_fields=["date_joined"])
    make_user("今天来的")
    series = stats.members_per_day(365)
    assert sum(n for _d, n in series) >= 1
    assert series[-1][1] >= 1


def test_home_counts_new_members_waiting_for_approval():
    from luntan.accounts.models import UserGroup

    client = admin_client()
    waiting = make_user("等审核的人")
    waiting.group_id = UserGroup.AWAITING_VERIFICATION
    waiting.save(update_fields=["group"])
    html = client.get("/admin-center/").content.decode()
    assert client.get("/admin-center/").context["queues"].pending_members == 1
    assert 'href="/admin-center/members/pending/">1</a>待审核新用户' in html
