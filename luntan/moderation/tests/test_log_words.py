"""The moderation log (/mod/log/) in words (issue 14, item 6): object and change as
translated text with links, never raw ``{'closed': False}`` dicts or ``post #13``; the
page's query count does not grow with the entries."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from luntan.moderation import services
from luntan.moderation.tests.helpers import make_super_moderator
from luntan.threads.models import Post
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    """The page's visible text: scripts and styles out, tags out, white space folded."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def logged():
    board = make_board("老街新闻")
    other = make_board("闲聊灌水", parent=board.parent)
    boss = make_super_moderator("超版老王")
    t = make_thread(board, make_user("街坊甲"), "社区开放日活动")
    reply = make_reply(t, make_user("街坊乙"), "第二楼的内容在这里")
    services.close_thread(t, actor=boss, reason="结贴")
    services.stick_thread(t, actor=boss, level=1)
    services.move_thread(t, actor=boss, to_board=other, leave_stub=True)
    services.warn_author(reply, actor=boss, reason="发广告")
    services.delete_post(Post.objects.get(pk=reply.pk), actor=boss, reason="广告")
    client = Client()
    client.force_login(boss)
    return {"client": client, "t": t, "reply": reply, "board": board, "other": other}


def test_the_log_says_what_happened_in_words_with_links(logged):
    html = logged["client"].get("/mod/log/").content.decode()
    text = _text(html)
    t, reply = logged["t"], logged["reply"]
    assert "{" not in text and "#" not in text  # no dicts, no "post #13"
    assert f'<a href="/t/{t.pk}/">《社区开放日活动》</a>' in html
    assert "状态：打开 → 关闭" in text
    assert "置顶：不置顶 → 置顶 1 级" in text
    assert (
        f'版块：<a href="/f/{logged["board"].pk}/">老街新闻</a> → '
        f'<a href="/f/{logged["other"].pk}/">闲聊灌水</a>' in html
    )
    assert "保留跳转：是" in text
    assert f'<a href="/p/{reply.pk}/">《社区开放日活动》第 2 楼</a>' in html
    assert "状态：正常 → 已删除" in text
    assert "累计警告：1 次" in text
    assert re.search(r'会员 <a href="/u/\d+/">街坊乙</a>', html)


def test_the_log_page_query_count_does_not_grow(logged, django_assert_max_num_queries):
    client = logged["client"]
    client.get("/mod/log/")
    with django_assert_max_num_queries(12) as few:
        client.get("/mod/log/")
    t = logged["t"]
    boss = make_super_moderator("超版小李")
    for _ in range(5):
        services.close_thread(t, actor=boss, closed=False)
        services.close_thread(t, actor=boss)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/mod/log/").status_code == 200


def test_the_log_reads_in_english_too(logged):
    client = logged["client"]
    client.cookies["django_language"] = "en"
    text = _text(client.get("/mod/log/").content.decode())
    assert "State: open → closed" in text or "state: open → closed" in text.lower()
    assert "：" not in text and "；" not in text
