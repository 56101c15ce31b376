"""Searching posts written through the services, on the database in use (SQLite or
PostgreSQL): matching rules, filters and the permission rule."""

from datetime import date

import pytest

from luntan.boards.models import Board, ThreadType
from luntan.search.service import SearchRequest, search_posts
from luntan.search.tests.helpers import (
    NOW,
    add_reply,
    days_ago,
    find,
    make_board,
    make_thread,
    make_user,
    thread_ids,
)
from luntan.threads.models import Post, Thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(committed):
    """A news board with the 开门评警 thread, a traffic thread and an unrelated one."""
    board = make_board("本地新闻")
    with committed():
        police = make_thread(
            board,
            subject="徐州公安开展开门评警活动",
            body="各派出所民警深入社区走访群众，听取意见。ＡＢＣ Test",
            now=days_ago(400),
        )
        traffic = make_thread(
            board, subject="交警整治闯红灯", body="交警在淮海路执勤。", now=days_ago(3)
        )
        other = make_thread(board, subject="云龙湖秋景", body="湖边的银杏黄了。", now=days_ago(1))
    return {"board": board, "police": police, "traffic": traffic, "other": other}


def op(thread) -> int:
    return thread.post_set.get(floor=1).pk


def test_word_found(news):
    assert find("走访") == [op(news["police"])]


def test_one_character_query(news):
    assert set(thread_ids("警")) == {news["police"].pk, news["traffic"].pk}


def test_multiple_words_must_all_match(news):
    assert thread_ids("民警 走访") == [news["police"].pk]
    assert thread_ids("民警 银杏") == []


def test_quoted_phrase_matches_in_order_only(news):
    assert thread_ids('"开门评警"') == [news["police"].pk]
    assert thread_ids('"评警开门"') == []


def test_minus_excludes(news):
    assert set(thread_ids("警 -民警")) == {news["traffic"].pk}
    assert thread_ids('警 -"淮海路"') == [news["police"].pk]


def test_traditional_query_finds_simplified_text(news):
    assert thread_ids("評警") == [news["police"].pk]
    assert thread_ids("開門評警") == [news["police"].pk]


def test_simplified_query_finds_traditional_text(committed, news):
    with committed():
        trad = make_thread(news["board"], subject="評警問卷", body="網站參與評警。")
    assert news["police"].pk in thread_ids("评警") and trad.pk in thread_ids("评警")


def test_full_width_and_case_fold(news):
    assert thread_ids("abc") == [news["police"].pk]
    assert thread_ids("ＡＢＣ") == [news["police"].pk]
    assert thread_ids("TEST") == [news["police"].pk]


def test_title_only_scope(committed, news):
    with committed():
        add_reply(news["other"], "我也看到交警了")
    assert set(thread_ids("交警")) == {news["traffic"].pk, news["other"].pk}
    assert find("交警", scope="title") == [op(news["traffic"])]
    assert find("淮海路", scope="title") == []


def test_reply_found_and_links_to_its_floor(committed, news):
    with committed():
        post = add_reply(news["other"], "银杏大道很适合拍照")
    assert post.pk in find("拍照")
    page = search_posts(SearchRequest(q="拍照"), make_user(), now=NOW)
    assert page.hits[0].post.get_absolute_url() == f"/p/{post.pk}/"


def test_board_filter_includes_sub_boards(committed, news):
    sub = Board.objects.create(name="警务公开", parent=news["board"], kind=Board.Kind.SUB)
    elsewhere = make_board("二手市场")
    with committed():
        in_sub = make_thread(sub, subject="警务公开日", body="民警接待群众")
        outside = make_thread(elsewhere, subject="出售警用手电", body="九成新")
    found = set(thread_ids("警", board_id=news["board"].pk))
    assert {news["police"].pk, news["traffic"].pk, in_sub.pk} <= found
    assert outside.pk not in found
    assert set(thread_ids("警", board_id=sub.pk)) == {in_sub.pk}


def test_author_filter_skips_anonymous_posts(committed, news):
    author = make_user("老张")
    with committed():
        mine = make_thread(news["board"], author=author, subject="老张说交警", body="执勤辛苦")
        hidden_name = make_thread(news["board"], author=author, subject="匿名交警", body="x")
    Thread.objects.filter(pk=hidden_name.pk).update(is_anonymous=True)
    Post.objects.filter(thread=hidden_name).update(is_anonymous=True)
    assert thread_ids("交警", author="老张") == [mine.pk]


def test_date_range(news):
    assert set(thread_ids("警", after=date(2026, 5, 1))) == {news["traffic"].pk}
    assert set(thread_ids("警", before=date(2026, 5, 1))) == {news["police"].pk}
    assert thread_ids("警", after=date(2026, 5, 29), before=date(2026, 5, 29)) == [
        news["traffic"].pk
    ]


def test_thread_type_filter(committed):
    board = make_board("新闻", types=("新闻转播", "原创"))
    relay, original = ThreadType.objects.filter(board=board).order_by("display_order")
    with committed():
        a = make_thread(board, subject="转播民警", body="民警", thread_type=relay)
        make_thread(board, subject="原创民警", body="民警", thread_type=original)
    assert thread_ids("民警", type_id=relay.pk) == [a.pk]


def test_order_by_time_and_recency_boost(committed):
    board = make_board()
    with committed():
        old = make_thread(board, subject="羊肉汤推荐", body="羊肉汤", now=days_ago(2000))
        new = make_thread(board, subject="羊肉汤推荐", body="羊肉汤", now=days_ago(1))
    assert thread_ids("羊肉汤") == [new.pk, old.pk]
    assert thread_ids("羊肉汤", order="time") == [new.pk, old.pk]


def test_hidden_board_deleted_and_pending_posts_never_found(committed, news):
    hidden = make_board("内部版块", is_hidden=True)
    with committed():
        make_thread(hidden, subject="内部山竹", body="山竹")
        deleted = add_reply(news["other"], "已删除的山竹")
        pending = add_reply(news["other"], "待审核的山竹")
        recycled = make_thread(news["board"], subject="回收山竹", body="山竹")
        visible = add_reply(news["other"], "看得见的山竹")
    Post.objects.filter(pk=deleted.pk).update(state=Post.State.DELETED)
    Post.objects.filter(pk=pending.pk).update(state=Post.State.PENDING)
    Thread.objects.filter(pk=recycled.pk).update(state=Thread.State.RECYCLED)
    # Even before the index catches up, the query-time rule hides them.
    assert find("山竹") == [visible.pk]


def test_hide_content_never_indexed(committed, news):
    with committed():
        add_reply(news["other"], "公开的话[hide]秘密暗号榴莲[/hide]")
    assert find("榴莲") == []
    assert find('"秘密暗号"') == []
    assert len(find("公开")) == 1


def test_index_follows_state_changes_through_reindex(committed, news):
    from luntan import search

    with committed():
        post = add_reply(news["other"], "荔枝上市了")
    Post.objects.filter(pk=post.pk).update(state=Post.State.DELETED)
    with committed():
        search.reindex_post(post.pk)
    from luntan.search.backends import get_backend

    before = get_backend().count()
    Post.objects.filter(pk=post.pk).update(state=Post.State.VISIBLE)
    search.index_posts([post.pk])
    assert get_backend().count() == before + 1
    assert find("荔枝") == [post.pk]
    search.remove_post(post.pk)
    assert find("荔枝") == []


def test_index_updated_only_after_commit(django_capture_on_commit_callbacks, news):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_reply(news["other"], "芒果季节到了")
    assert find("芒果") == []  # nothing indexed until the transaction commits
    assert callbacks  # the indexer's (and other apps', e.g. the notifications bell's)
    for callback in callbacks:
        callback()
    assert len(find("芒果")) == 1


def test_index_threads_for_importers(news):
    from luntan import search
    from luntan.search.backends import get_backend

    get_backend().clear()
    assert find("走访") == []
    assert search.index_threads([news["police"].pk, news["traffic"].pk]) == 2
    assert find("走访") == [op(news["police"])]


def test_snippet_highlights_and_escapes(committed, news):
    with committed():
        add_reply(news["other"], "注意<script>alert('x')</script>的写法 民警")
    page = search_posts(SearchRequest(q="script 民警"), make_user(), now=NOW)
    html = "".join(h.snippet_html + h.title_html for h in page.hits)
    assert "<script>" not in html
    assert "&lt;<mark>script</mark>&gt;" in html
    assert "<mark>民警</mark>" in html


def test_highlight_marks_original_characters(news):
    page = search_posts(SearchRequest(q="abc 評警"), make_user(), now=NOW)
    assert "<mark>ＡＢＣ</mark>" in page.hits[0].snippet_html
    assert "<mark>评警</mark>" in page.hits[0].title_html


def test_pagination_counts_all_matches(committed):
    board = make_board()
    with committed():
        thread = make_thread(board, subject="荔枝", body="荔枝 楼主")
        for n in range(25):
            add_reply(thread, f"荔枝 第{n}楼")
    first = search_posts(SearchRequest(q="荔枝"), make_user(), now=NOW)
    second = search_posts(SearchRequest(q="荔枝", page=2), make_user(), now=NOW)
    assert (first.total, first.pages, len(first.hits), len(second.hits)) == (26, 2, 20, 6)
    assert not {h.post.pk for h in first.hits} & {h.post.pk for h in second.hits}


def test_total_is_counted_up_to_a_cap(committed, monkeypatch):
    from luntan.search import service

    monkeypatch.setattr(service, "MAX_TOTAL", 5)
    board = make_board()
    with committed():
        thread = make_thread(board, subject="荔枝", body="荔枝")
        for n in range(7):
            add_reply(thread, f"荔枝 {n}")
    page = search_posts(SearchRequest(q="荔枝"), make_user(), now=NOW)
    assert (page.total, page.capped, len(page.hits)) == (5, True, 5)


def test_boards_under_a_hidden_category_are_not_searched_but_admins_see_them(committed):
    from luntan.search.tests.helpers import make_board as board_of

    category = Board.objects.create(name="内部分区", kind=Board.Kind.CATEGORY, is_hidden=True)
    with committed():
        thread = make_thread(board_of("内部", parent=category), subject="内部山竹", body="山竹")
    assert find("山竹") == []
    admin = make_user("站长", is_superuser=True)
    assert find("山竹", user=admin) == [op(thread)]


def test_newest_matches_are_found_across_index_windows(committed, monkeypatch):
    """Many non-matching posts between a few old matches and the newest ones: the capped
    result is still exactly the newest matches, by post id and by post time."""
    from luntan.search import service

    monkeypatch.setattr(service, "MAX_TOTAL", 6)
    board = make_board()
    with committed():
        old = [
            make_thread(board, subject="旧帖", body=f"荔枝 {n}", now=days_ago(903 - n))
            for n in range(4)
        ]
        filler = make_thread(board, subject="闲聊", body="天气", now=days_ago(500))
        for n in range(60):
            add_reply(filler, f"天气 {n}", now=days_ago(499 - n))
        new = [
            make_thread(board, subject="新帖", body=f"荔枝 {n}", now=days_ago(3 - n))
            for n in range(3)
        ]
    page = search_posts(SearchRequest(q="荔枝", order="time"), make_user(), now=NOW)
    expected = [t.pk for t in reversed(new)] + [t.pk for t in reversed(old)][:3]
    assert [h.post.thread_id for h in page.hits] == expected
    assert (page.total, page.capped) == (6, True)
    found = {
        h.post.thread_id for h in search_posts(SearchRequest(q="荔枝"), make_user(), now=NOW).hits
    }
    assert found == set(expected)
    titles = search_posts(SearchRequest(q="旧帖 荔枝", scope="title"), make_user(), now=NOW)
    assert titles.hits == []
    titles = search_posts(SearchRequest(q="新帖", scope="title"), make_user(), now=NOW)
    assert {h.post.thread_id for h in titles.hits} == {t.pk for t in new}
