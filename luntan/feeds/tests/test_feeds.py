"""Feeds, sitemap.xml and robots.txt: what a guest may read, and nothing else."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from luntan.accounts.groups import GroupId
from luntan.boards.models import Board
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def forum():
    """An open board with three threads, and every kind of thing a guest may not read."""
    open_board = make_board("本地新闻")
    author = make_user("记者")
    threads = [
        make_thread(open_board, author, subject=f"公开主题{i}", body=f"公开内容{i}，欢迎阅读。")
        for i in range(3)
    ]
    hidden = make_board("管理区", view_groups=[GroupId.ADMIN])
    make_thread(hidden, author, subject="隐藏版块的主题")
    locked = make_board("密码区")
    Board.objects.filter(pk=locked.pk).update(password="pbkdf2_sha256$1$x$y")
    make_thread(locked, author, subject="密码版块的主题")
    level = make_thread(open_board, author, subject="高阅读权限的主题")
    Thread.objects.filter(pk=level.pk).update(read_level=100)
    recycled = make_thread(open_board, author, subject="回收站的主题")
    Thread.objects.filter(pk=recycled.pk).update(state=Thread.State.RECYCLED)
    make_thread(
        open_board, author, subject="有隐藏内容的主题", body="看得见的部分[hide]秘密内容[/hide]"
    )
    return open_board, hidden, locked, threads


SECRETS = ("隐藏版块的主题", "密码版块的主题", "高阅读权限的主题", "回收站的主题", "秘密内容")


def test_site_rss_lists_what_guests_read(client, forum):
    r = client.get("/feed/rss/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(r.content)
    items = root.findall("./channel/item")
    titles = [i.findtext("title") for i in items]
    assert titles[0] == "有隐藏内容的主题"
    assert {"公开主题0", "公开主题1", "公开主题2"} <= set(titles)
    text = r.content.decode()
    for secret in SECRETS:
        assert secret not in text
    first = next(i for i in items if i.findtext("title") == "公开主题0")
    thread = Thread.objects.get(subject="公开主题0")
    assert first.findtext("link").endswith(f"/t/{thread.pk}/")
    assert "公开内容0" in first.findtext("description")
    assert first.findtext("category") == "本地新闻"


def test_site_atom(client, forum):
    r = client.get("/feed/atom/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert "公开主题1" in titles and "隐藏版块的主题" not in titles


def test_board_feeds(client, forum):
    open_board, hidden, locked, _threads = forum
    for url in (f"/f/{open_board.pk}/rss/", f"/f/{open_board.pk}/atom/"):
        r = client.get(url)
        assert r.status_code == 200
        assert "公开主题2" in r.content.decode()
    for board in (hidden, locked, open_board.parent):
        assert client.get(f"/f/{board.pk}/rss/").status_code == 404
        assert client.get(f"/f/{board.pk}/atom/").status_code == 404
    assert client.get("/f/999999/rss/").status_code == 404


def test_a_member_who_reads_more_still_gets_the_guest_feed(client, forum):
    client.force_login(make_user(group_id=GroupId.ADMIN, username="站长"))
    text = client.get("/feed/rss/").content.decode()
    for secret in SECRETS:
        assert secret not in text


def test_an_anonymous_thread_has_no_author_name(client):
    board = make_board()
    thread = make_thread(board, make_user("真名"), subject="匿名的主题")
    Thread.objects.filter(pk=thread.pk).update(is_anonymous=True)
    text = client.get(f"/f/{board.pk}/rss/").content.decode()
    assert "匿名的主题" in text and "真名" not in text


def test_feed_query_count(client, forum, django_assert_max_num_queries):
    client.get("/feed/rss/")
    with django_assert_max_num_queries(4):
        assert client.get("/feed/rss/").status_code == 200


def test_sitemap_lists_guest_readable_boards_and_threads(client, forum):
    open_board, hidden, locked, threads = forum
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    text = index.content.decode()
    assert "sitemap-boards.xml" in text and "sitemap-threads.xml" in text
    boards = client.get("/sitemap-boards.xml").content.decode()
    assert f"/f/{open_board.pk}/" in boards
    for board in (hidden, locked, open_board.parent):
        assert f"/f/{board.pk}/<" not in boards
    pages = client.get("/sitemap-threads.xml").content.decode()
    for thread in threads:
        assert f"/t/{thread.pk}/" in pages
    for subject in ("隐藏版块的主题", "密码版块的主题", "高阅读权限的主题", "回收站的主题"):
        pk = Thread.objects.get(subject=subject).pk
        assert f"/t/{pk}/<" not in pages


def test_robots_txt(client):
    r = client.get("/robots.txt")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/plain")
    text = r.content.decode()
    assert text.startswith("User-agent: *")
    assert "Disallow: /accounts/" in text and "Disallow: /search/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert client.post("/robots.txt").status_code == 405


def test_pages_announce_the_site_feed(client, forum):
    html = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in html and 'href="/feed/rss/"' in html


def test_pending_threads_and_banned_op_posts_stay_out(client):
    from luntan.moderation.posts import ban_post

    board = make_board()
    pending = make_thread(board, subject="等待审核的主题")
    Thread.objects.filter(pk=pending.pk).update(state=Thread.State.PENDING)
    banned = make_thread(board, subject="被屏蔽的主题", body="被屏蔽的正文内容")
    ban_post(banned.post_set.get(floor=1), actor=make_user(group_id=GroupId.ADMIN))
    text = client.get("/feed/rss/").content.decode()
    assert "等待审核的主题" not in text and "被屏蔽的正文内容" not in text


def test_every_feeds_string_is_translated_and_used(client, forum):
    import re
    from pathlib import Path

    po = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    assert re.findall(r'^msgid "(.+)"\nmsgstr ""\n', text, flags=re.M) == []
    client.cookies["django_language"] = "en"
    assert "Latest threads of" in client.get("/feed/rss/").content.decode()


def test_board_pages_link_their_feed_when_guests_may_read_them(client, forum):
    open_board, hidden, _locked, _threads = forum
    html = client.get(f"/f/{open_board.pk}/").content.decode()
    assert f'href="/f/{open_board.pk}/rss/"' in html
    client.force_login(make_user(group_id=GroupId.ADMIN, username="版主甲"))
    assert "/rss/" not in client.get(f"/f/{hidden.pk}/").content.decode().replace(
        'href="/feed/rss/"', ""
    )


@pytest.mark.parametrize("url", ["/feed/rss/", "/feed/atom/", "board_rss", "board_atom"])
def test_control_characters_from_imported_data_are_stripped(client, url):
    board = make_board("导入版块")
    thread = make_thread(board, make_user("导入作者"), subject="旧主题", body="旧论坛的内容。")
    # As the Discuz! importer may leave them (posting refuses them).
    Board.objects.filter(pk=board.pk).update(name="导入\x0b版块")
    Thread.objects.filter(pk=thread.pk).update(subject="旧\x08主题", author_name="导入\x01作者")
    Post.objects.filter(thread=thread).update(source="旧论坛\x01的内容\x1f。", html="")
    if not url.startswith("/"):
        url = f"/f/{board.pk}/{url.split('_')[1]}/"
    r = client.get(url)
    assert r.status_code == 200
    text = r.content.decode()
    ET.fromstring(r.content)
    assert "旧主题" in text and "旧论坛的内容。" in text and thread.get_absolute_url() in text
