"""Board index (/) and board pages (/f/<id>/) as a reader sees them, with pinned queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from luntan.boards.models import Board
from luntan.boards.queries import site_day_starts
from luntan.core.models import get_site_settings
from luntan.core.tests.pages import configure_site, seed_thread, utc
from luntan.moderation.models import MovedThread
from luntan.threads.models import Thread
from luntan.threads.tests.factories import (
    make_board,
    make_category,
    make_reply,
    make_thread,
    make_user,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def subjects(response) -> list[str]:
    return re.findall(
        r'<a class="subject[^"]*" href="/t/\d+/"[^>]*>([^<]+)</a>', response.content.decode()
    )


# --- board index ---------------------------------------------------------------------------


def test_index_lists_categories_boards_counts_and_last_post(client):
    s = seed_thread()
    response = client.get("/")
    assert response.status_code == 200
    text = text_of(response)
    assert "家乡生活" in text and "新闻资讯" in text
    html = response.content.decode()
    assert f'href="/f/{s.board.pk}/">新闻资讯</a>' in html
    assert (
        f'<a class="last-sub" href="/t/{s.thread.pk}/" title="社区开放日活动纪实">社区开放日活动纪实</a>'
        in html
    )
    assert "2011-6-10 15:29 王五" in text
    assert "1 / 4 主题 / 帖子" in text
    assert "<title>测试论坛</title>" in html


def test_index_shows_site_stats_and_the_newest_member(client):
    configure_site()
    board = make_board("闲聊", parent=make_category("综合"))
    now = timezone.now()
    today_start, yesterday_start = site_day_starts(now)
    author = make_user("老会员")
    t = make_thread(board, author, now=yesterday_start + timedelta(hours=1))
    make_reply(t, author, now=yesterday_start + timedelta(hours=2))
    make_reply(t, author, now=today_start + timedelta(minutes=1))
    newest = make_user("新来的")
    text = text_of(client.get("/"))
    assert "今日: 1 | 昨日: 2 | 帖子: 3 | 会员: 2 | 欢迎新会员: 新来的" in text
    assert f'href="/u/{newest.pk}/"' in client.get("/").content.decode()
    assert "(1)" in text  # the board's today count


def test_today_starts_at_midnight_in_the_site_time_zone():
    start, yesterday = site_day_starts(utc(2024, 11, 17, 16, 30))  # 00:30 on 11-18 in GMT+8
    assert start == utc(2024, 11, 17, 16, 0)
    assert yesterday == utc(2024, 11, 16, 16, 0)


def test_hidden_boards_are_not_listed_and_link_boards_link_out(client):
    configure_site()
    cat = make_category("综合")
    make_board("秘密花园", parent=cat, is_hidden=True)
    make_board("友情链接", parent=cat, redirect_url="https://example.org/")
    text = text_of(client.get("/"))
    html = client.get("/").content.decode()
    assert "秘密花园" not in text
    assert 'href="https://example.org/"' in html and "友情链接" in text


def test_sub_boards_are_listed_under_their_board_with_its_figures_summed(client):
    configure_site()
    cat = make_category("综合")
    parent = make_board("摄影", parent=cat)
    sub = Board.objects.create(name="风光摄影", parent=parent, kind=Board.Kind.SUB)
    make_thread(sub, make_user(), subject="山里的日出", now=utc(2024, 1, 2))
    make_thread(parent, make_user(), subject="相机推荐", now=utc(2024, 1, 1))
    html = client.get("/").content.decode()
    text = text_of(client.get("/"))
    assert "子版块: 风光摄影" in text
    assert f'href="/f/{sub.pk}/">风光摄影</a>' in html
    assert "2 / 2 主题 / 帖子" in text
    assert "山里的日出" in text  # the newest last post is the sub-board's


def test_category_page_lists_its_boards_only(client):
    s = seed_thread()
    other = make_category("别的分区")
    make_board("不该出现", parent=other)
    response = client.get(f"/f/{s.category.pk}/")
    assert response.status_code == 200
    text = text_of(response)
    assert "新闻资讯" in text and "不该出现" not in text
    assert "首页 › 家乡生活" in text


def _many_boards(n_categories: int, boards_per: int, threads_per: int) -> None:
    for c in range(n_categories):
        cat = make_category(f"分区{c}")
        for b in range(boards_per):
            board = make_board(f"版块{c}-{b}", parent=cat)
            Board.objects.create(name=f"子版{c}-{b}", parent=board, kind=Board.Kind.SUB)
            for _ in range(threads_per):
                make_thread(board, make_user())


@pytest.mark.parametrize("size", [(1, 1, 1), (4, 6, 2)])
def test_index_query_count_is_constant(client, django_assert_num_queries, size):
    configure_site()
    _many_boards(*size)
    get_site_settings()
    client.get("/")  # warm: site settings, group rights, the rendered board rows
    with django_assert_num_queries(2):  # boards with their counters; the statistics row
        response = client.get("/")
    assert response.status_code == 200
    assert f"版块{size[0] - 1}-{size[1] - 1}" in text_of(response)


# --- board page ----------------------------------------------------------------------------


@pytest.fixture
def board_with_threads():
    configure_site()
    board = make_board("新闻资讯", parent=make_category("家乡生活"), types=("新闻转播", "求助"))
    news, ask = board.thread_types.order_by("display_order")
    author = make_user("张三")
    old = make_thread(board, author, subject="旧闻", thread_type=news, now=utc(2020, 1, 1))
    sticky = make_thread(board, author, subject="版规必读", now=utc(2019, 1, 1))
    Thread.objects.filter(pk=sticky.pk).update(sticky=1)
    new = make_thread(board, author, subject="最新求助", thread_type=ask, now=utc(2021, 1, 1))
    make_reply(new, make_user("李四"), now=utc(2021, 1, 2, 3, 4))
    Thread.objects.filter(pk=old.pk).update(digest=1, closed=True, highlight="#EE1B2E")
    hidden = make_thread(board, author, subject="回收站里的", now=utc(2022, 1, 1))
    Thread.objects.filter(pk=hidden.pk).update(state=Thread.State.RECYCLED)
    return board, news, ask


def test_board_lists_sticky_first_then_by_last_post(client, board_with_threads):
    board, _news, _ask = board_with_threads
    response = client.get(f"/f/{board.pk}/")
    assert subjects(response) == ["版规必读", "最新求助", "旧闻"]
    text = text_of(response)
    assert "置顶" in text and "精华" in text and "关闭" in text
    assert "回收站里的" not in text


def test_board_rows_show_type_author_counts_and_last_post(client, board_with_threads):
    board, news, _ask = board_with_threads
    response = client.get(f"/f/{board.pk}/")
    html = response.content.decode()
    text = text_of(response)
    assert f'href="?type={news.pk}">【新闻转播】</a>' in html
    assert 'style="color:#EE1B2E"' in html
    assert "张三 2021-1-1" in text
    assert "李四 2021-1-2 11:04" in text  # last post in GMT+8


def test_type_tabs_filter_the_list(client, board_with_threads):
    board, news, ask = board_with_threads
    html = client.get(f"/f/{board.pk}/").content.decode()
    assert re.search(r'<nav class="types".*?全部.*?新闻转播.*?求助', html, re.S)
    assert subjects(client.get(f"/f/{board.pk}/?type={ask.pk}")) == ["最新求助"]
    assert subjects(client.get(f"/f/{board.pk}/?type={news.pk}")) == ["旧闻"]


def test_highlight_colour_must_be_a_hex_colour(client, board_with_threads):
    board, _n, _a = board_with_threads
    Thread.objects.filter(subject="旧闻").update(highlight="red;x:y")
    assert "red;x:y" not in client.get(f"/f/{board.pk}/").content.decode()


@override_settings(LUNTAN_THREADS_PER_PAGE=2)
def test_board_pages(client, board_with_threads):
    board, _n, _a = board_with_threads
    assert subjects(client.get(f"/f/{board.pk}/?page=2")) == ["旧闻"]
    assert subjects(client.get(f"/f/{board.pk}/?page=99999999999999999999")) == ["旧闻"]
    assert 'href="?page=2"' in client.get(f"/f/{board.pk}/").content.decode()


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=-1", "page=99999999999999999999", "type=1;DROP", "type=abc", "type=999999"],
)
def test_board_malformed_parameters_give_the_first_page(client, board_with_threads, query):
    board, _n, _a = board_with_threads
    response = client.get(f"/f/{board.pk}/?{query}")
    assert response.status_code == 200
    assert len(subjects(response)) >= 1


def test_unknown_board_is_404_in_the_site_layout(client):
    configure_site()
    response = client.get("/f/424242/")
    assert response.status_code == 404
    assert "测试论坛" in text_of(response)


def test_link_board_redirects(client):
    board = make_board("外链", redirect_url="https://example.org/bbs")
    response = client.get(f"/f/{board.pk}/")
    assert response.status_code == 302 and response["Location"] == "https://example.org/bbs"


def test_sub_boards_are_shown_on_their_board_page(client):
    configure_site()
    parent = make_board("摄影", parent=make_category("综合"))
    Board.objects.create(name="人像", parent=parent, kind=Board.Kind.SUB, description="人像作品")
    text = text_of(client.get(f"/f/{parent.pk}/"))
    assert "子版块" in text and "人像" in text and "人像作品" in text


@pytest.mark.parametrize("n_threads", [1, 45])
@override_settings(LUNTAN_THREADS_PER_PAGE=20)
def test_board_page_query_count_is_constant(client, django_assert_num_queries, n_threads):
    configure_site()
    board = make_board("灌水", parent=make_category("综合"), types=("闲聊",))
    chat = board.thread_types.get()
    for i in range(n_threads):
        make_thread(board, make_user(), subject=f"主题{i}", thread_type=chat if i % 2 else None)
    get_site_settings()
    client.get(f"/f/{board.pk}/?page=2")  # warm: site settings, group rights
    # board with parents, sub-boards, thread types, threads (?page=2 of a one-page board
    # is page 1, which adds the cross-board query below)
    with django_assert_num_queries(4 if n_threads > 20 else 5):
        assert client.get(f"/f/{board.pk}/?page=2").status_code == 200
    with django_assert_num_queries(5):  # + COUNT for the type filter
        assert client.get(f"/f/{board.pk}/?type={chat.pk}").status_code == 200
    # page 1: + other boards' global/category stickies and moved-thread stubs, one query
    # (queries.thread_list → _page_one_extras), however many there are
    with django_assert_num_queries(5):
        assert client.get(f"/f/{board.pk}/").status_code == 200
    other = make_board("杂谈", parent=board.parent)
    for i in range(3):
        make_thread(other, make_user(), subject=f"置顶{i}")
    Thread.objects.filter(board=other).update(sticky=3)
    moved = make_thread(other, make_user(), subject="移走")
    MovedThread.objects.create(thread=moved, from_board=board, created=timezone.now())
    client.get(f"/f/{board.pk}/?page=2")  # the settings cache (30 s) may have expired
    with django_assert_num_queries(5):
        response = client.get(f"/f/{board.pk}/")
    assert "置顶2" in text_of(response) and "已移动: 移走" in text_of(response)


@override_settings(LUNTAN_POSTS_PER_PAGE=2)
def test_long_threads_link_their_pages_in_the_list(client, board_with_threads):
    board, _n, _a = board_with_threads
    thread = Thread.objects.get(subject="最新求助")
    for _ in range(13):  # 15 floors: 8 pages of 2
        make_reply(thread, make_user())
    html = client.get(f"/f/{board.pk}/").content.decode()
    links = re.search(r'<span class="tps">(.*?)</span>', html).group(1)
    assert re.findall(r"\?page=(\d+)", links) == ["2", "3", "4", "5", "8"]
    assert f'href="/t/{thread.pk}/?page=8">' in html  # last post links to the last page


def test_boards_outside_any_category_are_still_listed(client):
    configure_site()
    Board.objects.create(name="无分区版块", kind=Board.Kind.BOARD)
    response = client.get("/")
    assert response.status_code == 200
    assert "无分区版块" in text_of(response)


def test_index_for_a_member_shows_last_post_times_in_their_zone(client):
    s = seed_thread()
    s.op_author.time_zone = "UTC"
    s.op_author.save()
    client.force_login(s.op_author)
    assert "2011-6-10 07:29 王五" in text_of(client.get("/"))


# --- posting entry points and the header (issue 14, item 1) ----------------------------------


def test_a_member_who_may_post_sees_the_new_thread_button(client):
    board = make_board("灌水", parent=make_category("综合"))
    client.force_login(make_user())
    html = client.get(f"/f/{board.pk}/").content.decode()
    assert f'<a class="btn pnc new-thread" href="/f/{board.pk}/new/">发帖</a>' in html
    assert "登录后发帖" not in html


def test_a_guest_is_offered_the_login_page_leading_to_the_new_thread_form(client):
    board = make_board("灌水", parent=make_category("综合"))
    html = client.get(f"/f/{board.pk}/").content.decode()
    assert "new-thread" not in html
    assert (
        f'<a class="login-to-post" href="/accounts/login/?next=/f/{board.pk}/new/">登录后发帖</a>'
        in html
    )


def test_a_member_whose_group_may_not_post_in_the_board_sees_no_button(client):
    board = make_board("公告", parent=make_category("综合"), post_groups=[1])
    client.force_login(make_user())  # 新手上路 (10), not in the board's list
    html = client.get(f"/f/{board.pk}/").content.decode()
    assert "new-thread" not in html and "登录后发帖" not in html


def test_the_header_has_a_search_box_a_search_link_and_lost_password(client):
    configure_site()
    html = client.get("/").content.decode()
    assert '<form class="hd-search" role="search" method="get" action="/search/">' in html
    assert '<input type="search" name="q"' in html
    assert '<a href="/search/">搜索</a>' in html
    assert '<a class="lost-pw" href="/accounts/password/reset/">找回密码</a>' in html
    client.force_login(make_user())
    assert "找回密码" not in client.get("/").content.decode()
