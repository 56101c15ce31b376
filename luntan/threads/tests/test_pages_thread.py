"""The thread page (/t/<id>/) as a reader sees it: floors, labels, times, filters, paging."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from luntan.accounts.models import UserGroup
from luntan.core.models import get_site_settings
from luntan.core.tests.pages import IP_XUZHOU, configure_site, long_thread, seed_thread, utc
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_reply, make_user

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's visible text, tags stripped, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def floors_shown(response) -> list[int]:
    """Post ids in page order, mapped to their floors."""
    ids = [
        int(i)
        for i in re.findall(r'<article class="floor[^"]*" id="pid(\d+)"', response.content.decode())
    ]
    floors = dict(Post.objects.filter(pk__in=ids).values_list("pk", "floor"))
    return [floors[i] for i in ids]


@pytest.fixture
def seed():
    return seed_thread()


def test_thread_page_shows_type_prefix_subject_counts_and_copy_link(client, seed):
    response = client.get(f"/t/{seed.thread.pk}/")
    assert response.status_code == 200
    text = text_of(response)
    assert "【新闻转播】社区开放日活动纪实" in text.replace(" ", "")
    assert "查看: 0" in text and "回复: 3" in text
    assert "[复制链接]" in text
    html = response.content.decode()
    assert f'data-copy="http://testserver/t/{seed.thread.pk}/"' in html
    assert "<title>【新闻转播】社区开放日活动纪实 - 新闻资讯 - 测试论坛</title>" in html


def test_type_prefix_is_left_out_when_the_board_turns_it_off(client, seed):
    seed.board.thread_types_prefix = False
    seed.board.save()
    text = text_of(client.get(f"/t/{seed.thread.pk}/"))
    assert "【新闻转播】" not in text and "社区开放日活动纪实" in text


def test_floors_are_labelled_like_discuz_and_anchored(client, seed):
    response = client.get(f"/t/{seed.thread.pk}/")
    html = response.content.decode()
    labels = re.findall(r'class="floorno"[^>]*>(?:<em>)?([^<]+)', html)
    assert labels == ["楼主", "沙发", "板凳", "地板"]
    for post in seed.posts:
        assert f'id="pid{post.pk}"' in html
        assert f'href="/p/{post.pk}/"' in html


def test_fifth_floor_and_beyond_are_numbered(client, seed):
    make_reply(seed.thread, seed.replier, "第五楼来了")
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert re.findall(r'class="floorno"[^>]*>(?:<em>)?([^<]+)', html)[-1] == "5#"


def test_op_author_gets_the_op_badge_on_later_floors_only(client, seed):
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    articles = html.split('<article class="floor')[1:]
    badges = ['class="opbadge"' in a for a in articles]
    assert badges == [False, False, True, False]


def test_authors_link_to_profiles_with_their_group(client, seed):
    text = text_of(client.get(f"/t/{seed.thread.pk}/"))
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert f'<a class="author" href="/u/{seed.op_author.pk}/">张三</a>' in html
    assert "新手上路" in text


def test_post_times_are_in_gmt8_for_guests(client, seed):
    text = text_of(client.get(f"/t/{seed.thread.pk}/"))
    for shown in (
        "2011-6-10 13:53:51",
        "2011-6-10 13:56:07",
        "2011-6-10 14:04:24",
        "2011-6-10 15:29:31",
    ):
        assert f"发表于 {shown}" in text
    assert "GMT+8," in text


def test_post_times_follow_a_members_own_time_zone(client, seed):
    seed.replier.time_zone = "Asia/Kolkata"
    seed.replier.save()
    client.force_login(seed.replier)
    text = text_of(client.get(f"/t/{seed.thread.pk}/"))
    assert "发表于 2011-6-10 11:23:51" in text  # 05:53:51 UTC in IST (UTC+5:30)
    assert "GMT+5:30," in text


def test_recent_posts_read_minutes_ago_with_the_full_time_in_a_title(client, seed):
    from django.utils import timezone

    make_reply(
        seed.thread, seed.third, "刚刚回复", now=timezone.now() - timezone.timedelta(minutes=5)
    )
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert re.search(r'<span title="\d{4}-\d{1,2}-\d{1,2} \d\d:\d\d:\d\d">5 分钟前</span>', html)


def test_location_shows_from_the_posts_ip(client, seed):
    text = text_of(client.get(f"/t/{seed.thread.pk}/"))
    assert text.count("来自 中国江苏徐州") == 2
    assert "来自 中国四川成都" in text and "来自 中国江苏扬州" in text


def test_location_follows_the_site_level(client, seed):
    configure_site(ip_location_level="province")
    text = text_of(client.get(f"/t/{seed.thread.pk}/"))
    assert "来自 江苏" in text and "中国江苏徐州" not in text
    configure_site(ip_location_level="off")
    assert "来自" not in text_of(client.get(f"/t/{seed.thread.pk}/"))


def test_op_has_reading_mode_and_reverse_order_links(client, seed):
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    op = html.split('<article class="floor')[1]
    assert f'href="/t/{seed.thread.pk}/read/">阅读模式' in op
    assert 'href="?order=desc">倒序浏览' in op
    assert "阅读模式" not in html.split('<article class="floor')[2]


def test_author_filter_shows_only_that_authors_floors(client, seed):
    response = client.get(f"/t/{seed.thread.pk}/?author={seed.op_author.pk}")
    assert floors_shown(response) == [1, 3]
    text = text_of(response)
    assert "显示全部楼层" in text and "只看该作者" not in text


def test_author_filter_for_someone_without_posts_shows_an_empty_page(client, seed):
    response = client.get(f"/t/{seed.thread.pk}/?author=999999")
    assert response.status_code == 200
    assert floors_shown(response) == []


def test_deleted_post_keeps_its_floor_and_says_so_to_moderators(client, seed):
    Post.objects.filter(pk=seed.posts[1].pk).update(state=Post.State.DELETED)
    assert floors_shown(client.get(f"/t/{seed.thread.pk}/")) == [1, 3, 4]  # a guest
    client.force_login(make_user("超版", group_id=UserGroup.SUPER_MODERATOR))
    response = client.get(f"/t/{seed.thread.pk}/")
    assert floors_shown(response) == [1, 2, 3, 4]
    text = text_of(response)
    assert "该帖已被删除" in text
    assert "说得好听，做得怎么样？" not in text.split("该帖已被删除")[0].split("沙发")[-1]
    assert (
        re.findall(r'class="floorno"[^>]*>(?:<em>)?([^<]+)', response.content.decode())[3] == "地板"
    )


def test_pending_posts_are_hidden(client, seed):
    Post.objects.filter(pk=seed.posts[3].pk).update(state=Post.State.PENDING)
    response = client.get(f"/t/{seed.thread.pk}/")
    assert floors_shown(response) == [1, 2, 3]
    assert "支持一下" not in text_of(response)


@pytest.mark.parametrize("state", [Thread.State.RECYCLED, Thread.State.PENDING])
def test_recycled_or_pending_thread_is_404_in_the_site_layout(client, seed, state):
    Thread.objects.filter(pk=seed.thread.pk).update(state=state)
    response = client.get(f"/t/{seed.thread.pk}/")
    assert response.status_code == 404
    text = text_of(response)
    assert "测试论坛" in text and "Powered by luntan" in text


def test_unknown_thread_is_404(client, seed):
    assert client.get("/t/987654/").status_code == 404
    assert client.get("/t/99999999999999999999999/").status_code == 404


def test_edited_post_says_who_edited_it_and_when(client, seed):
    Post.objects.filter(pk=seed.posts[0].pk).update(
        edited_at=utc(2011, 6, 10, 6, 30, 0), edited_by_name="张三"
    )
    text = text_of(client.get(f"/t/{seed.thread.pk}/"))
    assert "本帖最后由 张三 于 2011-6-10 14:30:00 编辑" in text


def test_guest_sees_the_login_prompt_and_members_do_not(client, seed):
    text = text_of(client.get(f"/t/{seed.thread.pk}/"))
    assert "您需要登录后才可以回帖 登录 | 立即注册" in text
    client.force_login(seed.third)
    text = text_of(client.get(f"/t/{seed.thread.pk}/"))
    assert "您需要登录后才可以回帖" not in text
    assert "快速回复" in text  # members get the quick reply box instead


def test_back_to_list_and_top_links(client, seed):
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    assert f'href="/f/{seed.board.pk}/">返回列表' in html
    assert f'href="/credits/rules/?board={seed.board.pk}">本版积分规则' in html
    assert 'href="#top"' in html and 'id="top"' in html


def test_breadcrumbs_walk_from_home_through_category_and_board(client, seed):
    html = client.get(f"/t/{seed.thread.pk}/").content.decode()
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', html, re.S).group(0)
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs) == [
        "首页",
        "家乡生活",
        "新闻资讯",
        "社区开放日活动纪实",
    ]


def test_view_count_grows_with_each_view(client, seed):
    client.get(f"/t/{seed.thread.pk}/")
    text = text_of(client.get(f"/t/{seed.thread.pk}/"))
    assert "查看: 1" in text  # the count before this view, as Discuz! shows it
    seed.thread.refresh_from_db()
    assert seed.thread.views == 2


# --- paging by floor range -----------------------------------------------------------------


@override_settings(LUNTAN_POSTS_PER_PAGE=5)
def test_pages_are_cut_by_floor_range():
    thread = long_thread(12)
    from django.test import Client

    c = Client()
    assert floors_shown(c.get(f"/t/{thread.pk}/")) == [1, 2, 3, 4, 5]
    assert floors_shown(c.get(f"/t/{thread.pk}/?page=2")) == [6, 7, 8, 9, 10]
    assert floors_shown(c.get(f"/t/{thread.pk}/?page=3")) == [11, 12]
    html = c.get(f"/t/{thread.pk}/?page=2").content.decode()
    assert 'href="?page=3"' in html and 'href="?page=1"' in html


@override_settings(LUNTAN_POSTS_PER_PAGE=5)
def test_pages_count_the_floors_the_viewer_sees(client):
    # A deleted floor is a placeholder for moderators only; a pending one for nobody:
    # pages are full of what the viewer sees (before: members got a short page 1).
    thread = long_thread(12)
    Post.objects.filter(thread=thread, floor=4).update(state=Post.State.DELETED)
    Post.objects.filter(thread=thread, floor=5).update(state=Post.State.PENDING)
    assert floors_shown(client.get(f"/t/{thread.pk}/")) == [1, 2, 3, 6, 7]
    assert floors_shown(client.get(f"/t/{thread.pk}/?page=2")) == [8, 9, 10, 11, 12]
    assert client.get(f"/t/{thread.pk}/?page=3")["Location"] == f"/t/{thread.pk}/?page=2"
    client.force_login(make_user("超版", group_id=UserGroup.SUPER_MODERATOR))
    assert floors_shown(client.get(f"/t/{thread.pk}/")) == [1, 2, 3, 4, 6]
    assert floors_shown(client.get(f"/t/{thread.pk}/?page=2")) == [7, 8, 9, 10, 11]
    assert floors_shown(client.get(f"/t/{thread.pk}/?page=3")) == [12]


@override_settings(LUNTAN_POSTS_PER_PAGE=5)
def test_page_past_the_end_goes_to_the_last_page(client):
    thread = long_thread(12)
    response = client.get(f"/t/{thread.pk}/?page=4")
    assert response.status_code == 302 and response["Location"] == f"/t/{thread.pk}/?page=3"
    response = client.get(f"/t/{thread.pk}/?page=99999999999999999999")
    assert response["Location"] == f"/t/{thread.pk}/?page=3"


@override_settings(LUNTAN_POSTS_PER_PAGE=5)
def test_reverse_order_counts_down_from_the_top_keeping_the_op_first(client):
    thread = long_thread(12)
    assert floors_shown(client.get(f"/t/{thread.pk}/?order=desc")) == [1, 12, 11, 10, 9, 8]
    assert floors_shown(client.get(f"/t/{thread.pk}/?order=desc&page=2")) == [7, 6, 5, 4, 3]
    assert floors_shown(client.get(f"/t/{thread.pk}/?order=desc&page=3")) == [2, 1]
    html = client.get(f"/t/{thread.pk}/?order=desc").content.decode()
    assert 'href="?order=desc&amp;page=2"' in html
    assert "正序浏览" in html


@override_settings(LUNTAN_POSTS_PER_PAGE=5)
def test_author_filter_pages_through_that_authors_posts(client):
    thread = long_thread(12)
    author_id = Post.objects.get(thread=thread, floor=1).author_id  # odd floors
    assert floors_shown(client.get(f"/t/{thread.pk}/?author={author_id}")) == [1, 3, 5, 7, 9]
    assert floors_shown(client.get(f"/t/{thread.pk}/?author={author_id}&page=2")) == [11]
    response = client.get(f"/t/{thread.pk}/?author={author_id}&page=5")
    assert response["Location"] == f"/t/{thread.pk}/?author={author_id}&page=2"


@override_settings(LUNTAN_POSTS_PER_PAGE=5)
def test_floor_jump_redirects_to_the_page_and_anchor(client):
    thread = long_thread(12)
    post7 = Post.objects.get(thread=thread, floor=7)
    response = client.get(f"/t/{thread.pk}/?floor=7")
    assert response.status_code == 302
    assert response["Location"] == f"/t/{thread.pk}/?page=2#pid{post7.pk}"
    post1 = Post.objects.get(thread=thread, floor=1)
    assert client.get(f"/t/{thread.pk}/?floor=1")["Location"] == f"/t/{thread.pk}/#pid{post1.pk}"
    assert client.get(f"/t/{thread.pk}/?floor=500")["Location"] == f"/t/{thread.pk}/?page=3"


@override_settings(LUNTAN_POSTS_PER_PAGE=5)
def test_floor_jump_to_a_hidden_floor_lands_on_the_next_one(client):
    thread = long_thread(12)
    Post.objects.filter(thread=thread, floor=6).update(state=Post.State.PENDING)
    post7 = Post.objects.get(thread=thread, floor=7)
    assert (
        client.get(f"/t/{thread.pk}/?floor=6")["Location"]
        == f"/t/{thread.pk}/?page=2#pid{post7.pk}"
    )


@override_settings(LUNTAN_POSTS_PER_PAGE=5)
def test_permalink_redirects_to_the_floors_page(client):
    thread = long_thread(12)
    post = Post.objects.get(thread=thread, floor=11)
    response = client.get(f"/p/{post.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/t/{thread.pk}/?page=3#pid{post.pk}"
    landing = client.get(response["Location"])
    assert f'id="pid{post.pk}"' in landing.content.decode()
    op = Post.objects.get(thread=thread, floor=1)
    assert client.get(f"/p/{op.pk}/")["Location"] == f"/t/{thread.pk}/#pid{op.pk}"


def test_permalink_of_unknown_or_pending_post_is_404(client, seed):
    assert client.get("/p/424242/").status_code == 404
    Post.objects.filter(pk=seed.posts[3].pk).update(state=Post.State.PENDING)
    assert client.get(f"/p/{seed.posts[3].pk}/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-1",
        "page=0",
        "page=1.5",
        "page=99999999999999999999",
        "page=%EF%BC%91",  # full-width １
        "author=x",
        "author=-3",
        "author=99999999999999999999999",
        "author=1;DROP TABLE",
        "floor=abc",
        "floor=-2",
        "floor=99999999999999999999999",
        "order=sideways",
        "type=1;DROP",
        "page=2&page=abc",
    ],
)
def test_malformed_parameters_never_fail(client, seed, query):
    response = client.get(f"/t/{seed.thread.pk}/?{query}")
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200


# --- reading mode --------------------------------------------------------------------------


def test_reading_mode_shows_only_the_op(client, seed):
    response = client.get(f"/t/{seed.thread.pk}/read/")
    assert response.status_code == 200
    text = text_of(response)
    assert "【新闻转播】社区开放日活动纪实" in text.replace(" ", "")
    assert "开放日 当天" in text or "开放日当天" in text
    assert "张三" in text and "发表于 2011-6-10 13:53:51" in text and "来自 中国江苏徐州" in text
    assert "说得好听" not in text
    assert f'href="/t/{seed.thread.pk}/"' in response.content.decode()


def test_reading_mode_of_missing_thread_is_404(client):
    assert client.get("/t/5/read/").status_code == 404


# --- query counts --------------------------------------------------------------------------


def _warm(client, url):
    get_site_settings()
    client.get(url)


@pytest.mark.parametrize("floors", [3, 120])
@override_settings(LUNTAN_POSTS_PER_PAGE=20)
def test_thread_page_query_count_is_constant(client, django_assert_num_queries, floors):
    """Guest: thread + page posts + the view-count flush (test settings flush every view)."""
    thread = long_thread(floors)
    last = (floors + 19) // 20
    _warm(client, f"/t/{thread.pk}/")
    for url in (f"/t/{thread.pk}/", f"/t/{thread.pk}/?page={last}", f"/t/{thread.pk}/?order=desc"):
        with django_assert_num_queries(3):
            assert client.get(url).status_code == 200
    author_id = Post.objects.get(thread=thread, floor=1).author_id
    with django_assert_num_queries(4):  # + COUNT of the author's posts
        assert client.get(f"/t/{thread.pk}/?author={author_id}").status_code == 200


@override_settings(LUNTAN_VIEW_FLUSH_SECONDS=3600)
def test_member_thread_page_adds_only_the_member_lookup(client, django_assert_num_queries):
    thread = long_thread(25)
    member = Post.objects.get(thread=thread, floor=2).author
    client.force_login(member)
    _warm(client, f"/t/{thread.pk}/")
    # member (session from cache), is_moderator (quick reply and floor links), thread, posts
    with django_assert_num_queries(4):
        assert client.get(f"/t/{thread.pk}/?page=2").status_code == 200
    from luntan.threads import view_counts

    view_counts.flush()


@override_settings(LUNTAN_VIEW_FLUSH_SECONDS=3600)
def test_thread_page_costs_two_queries_between_view_flushes(client, django_assert_num_queries):
    thread = long_thread(30)
    _warm(client, f"/t/{thread.pk}/")
    with django_assert_num_queries(2):
        response = client.get(f"/t/{thread.pk}/?page=2")
    assert response["X-Queries"] == "2"
    assert "2 queries" in response.content.decode()
    from luntan.threads import view_counts

    view_counts.flush()


def test_last_page_of_a_long_thread_reads_only_its_floor_range(
    client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    thread = long_thread(45)
    _warm(client, f"/t/{thread.pk}/")
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/t/{thread.pk}/?page=3")
    post_sql = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "threads_post"')
    ]
    assert len(post_sql) == 1
    assert all("OFFSET" not in q["sql"].upper() for q in ctx.captured_queries)
    assert '"floor" > 40' in post_sql[0] or 'floor" > 40' in post_sql[0] or "> 40" in post_sql[0]


def test_ip_is_never_shown(client, seed):
    assert IP_XUZHOU not in client.get(f"/t/{seed.thread.pk}/").content.decode()


def test_anonymous_posts_and_removed_members_show_no_profile_link(client, seed):
    from luntan.accounts.models import User

    Post.objects.filter(pk=seed.posts[3].pk).update(is_anonymous=True)
    User.objects.filter(pk=seed.replier.pk).delete()  # floor 2's author is gone
    response = client.get(f"/t/{seed.thread.pk}/")
    assert response.status_code == 200
    articles = response.content.decode().split('<article class="floor')[1:]
    assert '<span class="author">李四</span>' in articles[1] and "/u/" not in articles[1]
    assert '<span class="author">匿名</span>' in articles[3] and "只看该作者" not in articles[3]


def test_thread_in_a_sub_board_has_the_full_breadcrumb_trail(client, seed):
    from luntan.boards.models import Board
    from luntan.threads.tests.factories import make_thread

    sub = Board.objects.create(name="街道通知", parent=seed.board, kind=Board.Kind.SUB)
    thread = make_thread(sub, seed.third, subject="停水通知")
    html = client.get(f"/t/{thread.pk}/").content.decode()
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', html, re.S).group(0)
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs) == [
        "首页",
        "家乡生活",
        "新闻资讯",
        "街道通知",
        "停水通知",
    ]
    board_page = client.get(f"/f/{sub.pk}/").content.decode()
    assert "停水通知" in board_page and f'href="/f/{seed.board.pk}/">新闻资讯</a>' in board_page
