"""Site-wide pages: layout, footer, error pages, legacy Discuz! URLs, Archiver, accounts."""

from __future__ import annotations

import gzip
import re

import pytest
from django.test import RequestFactory

from luntan.boards.models import Board
from luntan.core.parsing import parse_id, parse_page
from luntan.core.tests.pages import configure_site, long_thread, seed_thread
from luntan.core.views import server_error
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_user


def text_of(response) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def seed(db):
    s = seed_thread()
    Thread.objects.filter(pk=s.thread.pk).update(discuz_tid=5001)
    Board.objects.filter(pk=s.board.pk).update(discuz_fid=36)
    Post.objects.filter(pk=s.posts[2].pk).update(discuz_pid=90003)
    return s


# --- layout and footer ---------------------------------------------------------------------


def test_footer_shows_site_filing_time_zone_and_measured_stats(client, seed):
    response = client.get("/")
    text = text_of(response)
    assert "小黑屋 | Archiver | 测试论坛 ( 京ICP备12345678号-1 )" in text
    assert "京公网安备 11010502000001号" in text
    assert re.search(
        r"GMT\+8, \d{4}-\d\d-\d\d \d\d:\d\d , Processed in \d+\.\d{6} second\(s\), \d+ queries , Gzip Off",
        text,
    )
    assert "Powered by luntan" in text
    html = response.content.decode()
    assert 'href="/bans/"' in html and 'href="/archiver/"' in html
    assert 'href="https://beian.miit.gov.cn/"' in html


def test_footer_leaves_out_empty_filings(client, db):
    configure_site(icp_number="", police_filing="")
    text = text_of(client.get("/"))
    assert "( " not in text and "公网安备" not in text


def test_gzip_is_reported_and_applied_when_accepted(client, seed):
    response = client.get(f"/t/{seed.thread.pk}/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    body = gzip.decompress(response.content).decode()
    assert "Gzip On" in body


def test_guest_header_has_login_and_signup_links(client, seed):
    html = client.get("/").content.decode()
    assert 'href="/accounts/login/">登录</a>' in html
    assert 'href="/accounts/signup/">马上注册</a>' in html
    assert 'href="/">测试论坛</a>' in html


def test_member_header_has_name_and_a_logout_form(client, seed):
    client.force_login(seed.op_author)
    html = client.get("/").content.decode()
    # the header's own link (avatar, then the name), not another 张三 link on the index
    assert re.search(rf'<a class="me" href="/u/{seed.op_author.pk}/"><img [^>]*>张三</a>', html)
    assert re.search(
        r'<form class="logout" method="post" action="/accounts/logout/">\s*<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )
    assert "马上注册" not in html


def test_static_stylesheet_is_ours(client, seed):
    html = client.get("/").content.decode()
    assert '<link rel="stylesheet" href="/static/core/luntan.css">' in html
    assert "//cdn" not in html and "googleapis" not in html


def test_favicon_is_served(client, seed):
    # Browsers ask for /favicon.ico; a 404 there is a console error on every page.
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/core/favicon.ico"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/core/favicon.ico"
    from django.contrib.staticfiles import finders

    with open(finders.find("core/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file


# --- accounts ------------------------------------------------------------------------------


def test_login_page_logs_a_member_in_and_logout_is_post_only(client, db):
    configure_site()
    make_user("赵六")
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "登录" in text_of(page) and "测试论坛" in text_of(page)
    response = client.post("/accounts/login/", {"login": "赵六", "password": "pw"})
    assert response.status_code == 302
    assert "赵六" in text_of(client.get("/"))
    assert client.get("/accounts/logout/").status_code == 200  # a confirmation page only
    assert "赵六" in text_of(client.get("/"))
    assert client.post("/accounts/logout/").status_code == 302
    assert "马上注册" in text_of(client.get("/"))


def test_login_with_a_wrong_password_says_so(client, db):
    configure_site()
    make_user("赵六")
    response = client.post("/accounts/login/", {"login": "赵六", "password": "wrong"})
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()


def test_profile_page_shows_group_counts_and_join_date(client, seed):
    response = client.get(f"/u/{seed.op_author.pk}/")
    assert response.status_code == 200
    text = text_of(response)
    assert "张三" in text and "新手上路" in text
    assert "主题数 1" in text and "帖子数 2" in text
    assert client.get("/u/99999/").status_code == 404


# --- error pages ---------------------------------------------------------------------------


def test_404_page_is_in_the_site_layout(client, seed):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    text = text_of(response)
    assert "抱歉，您访问的页面不存在" in text and "测试论坛" in text and "Powered by luntan" in text


def test_500_page_renders_without_the_database():
    # No django_db mark: any query here would fail the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器出了点问题" in response.content.decode()


def test_400_page_is_in_the_site_layout(client, seed):
    from luntan.core.views import bad_request

    request = RequestFactory().get("/")
    request.user = seed.op_author
    response = bad_request(request)
    assert response.status_code == 400 and "请求的参数有误" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3),
        ("abc", 1),
        ("-1", 1),
        ("0", 1),
        ("", 1),
        (None, 1),
        ("１", 1),
        ("99999999999999999999", 2**63 - 1),
    ],
)
def test_parse_page(value, expected):
    assert parse_page(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7),
        ("x", None),
        ("-3", None),
        ("0", None),
        ("1;DROP", None),
        ("99999999999999999999", None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


# --- legacy Discuz! URLs -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/forum.php?mod=viewthread&tid=5001", "/t/{t}/"),
        ("/forum.php?mod=viewthread&tid=5001&extra=page%3D1&page=3", "/t/{t}/?page=3"),
        ("/thread-5001-1-1.html", "/t/{t}/"),
        ("/thread-5001-2-4.html", "/t/{t}/?page=2"),
        ("/forum.php?mod=forumdisplay&fid=36", "/f/{f}/"),
        ("/forum.php?mod=forumdisplay&fid=36&page=7", "/f/{f}/?page=7"),
        ("/forum-36-1.html", "/f/{f}/"),
        ("/forum-36-3.html", "/f/{f}/?page=3"),
        ("/forum.php?mod=redirect&goto=findpost&ptid=5001&pid=90003", "/p/{p}/"),
        ("/forum.php", "/"),
        ("/forum.php?mod=guide&view=hot", "/"),
    ],
)
def test_legacy_urls_redirect_permanently(client, seed, path, target):
    response = client.get(path)
    assert response.status_code == 301
    expected = target.format(t=seed.thread.pk, f=seed.board.pk, p=seed.posts[2].pk)
    assert response["Location"] == expected


def test_legacy_link_to_a_moved_thread_stub_follows_the_move(client, seed):
    from luntan.importers.discuz.models import MovedThreadStub

    MovedThreadStub.objects.create(discuz_tid=4000, target_discuz_tid=5001)
    response = client.get("/thread-4000-1-1.html")
    assert response.status_code == 301 and response["Location"] == f"/t/{seed.thread.pk}/"


def test_legacy_findpost_lands_on_the_quoted_floor(client, seed):
    response = client.get("/forum.php?mod=redirect&goto=findpost&ptid=5001&pid=90003", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/t/{seed.thread.pk}/#pid{seed.posts[2].pk}"


@pytest.mark.parametrize(
    "path",
    [
        "/forum.php?mod=viewthread&tid=404404",
        "/forum.php?mod=viewthread&tid=abc",
        "/forum.php?mod=viewthread",
        "/forum.php?mod=viewthread&tid=99999999999999999999999",
        "/thread-404404-1-1.html",
        "/thread-99999999999999999999999-1-1.html",
        "/forum.php?mod=forumdisplay&fid=999",
        "/forum-999-1.html",
        "/forum.php?mod=redirect&goto=findpost&pid=1",
    ],
)
def test_legacy_urls_with_unknown_ids_are_404(client, seed, path):
    assert client.get(path).status_code == 404


# --- Archiver ------------------------------------------------------------------------------


def test_archiver_lists_boards_threads_and_thread_text(client, seed):
    index = client.get("/archiver/")
    assert index.status_code == 200
    assert f'href="/archiver/f/{seed.board.pk}/">新闻资讯</a>' in index.content.decode()
    board = client.get(f"/archiver/f/{seed.board.pk}/")
    assert (
        f'href="/archiver/t/{seed.thread.pk}/" title="社区开放日活动纪实">社区开放日活动纪实</a>'
        in board.content.decode()
    )
    thread = client.get(f"/archiver/t/{seed.thread.pk}/")
    text = text_of(thread)
    assert "社区开放日活动纪实" in text and "说得好听" in text and "支持一下" in text
    assert "<link" not in thread.content.decode()  # light: no stylesheet, no script


def test_archiver_pages_a_long_thread(client, db, settings):
    settings.LUNTAN_POSTS_PER_PAGE = 5
    configure_site()
    thread = long_thread(7)
    text = text_of(client.get(f"/archiver/t/{thread.pk}/?page=2"))
    assert "第 6 楼" in text and "第 7 楼" in text and "第 5 楼" not in text
    assert client.get(f"/archiver/t/{thread.pk}/?page=abc").status_code == 200


def test_archiver_answers_discuz_archiver_links(client, seed):
    response = client.get("/archiver/?tid-5001.html")
    assert response.status_code == 301 and response["Location"] == f"/archiver/t/{seed.thread.pk}/"
    response = client.get("/archiver/?fid-36.html")
    assert response["Location"] == f"/archiver/f/{seed.board.pk}/"
    assert client.get("/archiver/?tid-777.html").status_code == 404


def test_archiver_hides_recycled_threads(client, seed):
    Thread.objects.filter(pk=seed.thread.pk).update(state=Thread.State.RECYCLED)
    assert client.get(f"/archiver/t/{seed.thread.pk}/").status_code == 404


def test_footer_says_gzip_off_for_an_encoding_that_only_looks_like_gzip(client, seed):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzipx")
    assert "Gzip Off" in response.content.decode()
    assert client.get("/", HTTP_ACCEPT_ENCODING="br, gzip").get("Content-Encoding") == "gzip"
