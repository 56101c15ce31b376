"""The board list is rendered once per content and kept in the cache: what a reader sees
never lags behind a post, a board change, the language or the time zone."""

from __future__ import annotations

import re

import pytest

from luntan.boards.models import Board
from luntan.core.tests.pages import seed_thread, utc
from luntan.threads.tests.factories import make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_reply_shows_on_the_index_and_the_category_page_at_once(client):
    s = seed_thread()
    for url in ("/", f"/f/{s.category.pk}/"):
        assert "1 / 4 主题 / 帖子" in text_of(client.get(url))
    make_reply(s.thread, make_user("赵六"), "我也来说两句", now=utc(2011, 6, 11, 1, 0, 0))
    for url in ("/", f"/f/{s.category.pk}/"):
        text = text_of(client.get(url))
        assert "1 / 5 主题 / 帖子" in text
        assert "2011-6-11 09:00 赵六" in text


def test_a_new_thread_and_a_renamed_board_show_at_once(client):
    s = seed_thread()
    client.get("/")
    make_thread(s.board, make_user("钱七"), subject="新的主题来了", now=utc(2011, 6, 12))
    Board.objects.filter(pk=s.board.pk).update(name="新闻速递")
    text = text_of(client.get("/"))
    assert "新的主题来了" in text and "新闻速递" in text and "新闻资讯" not in text


def test_each_language_and_time_zone_gets_its_own_board_list(client):
    seed_thread()
    assert "主题 / 帖子" in text_of(client.get("/"))
    client.cookies["django_language"] = "en"
    english = text_of(client.get("/"))
    assert "主题 / 帖子" not in english and "Threads" in english
    viewer = make_user("伦敦网友", time_zone="Europe/London")
    client.force_login(viewer)
    assert "2011-6-10 08:29" in text_of(client.get("/"))  # 15:29 GMT+8 is 08:29 BST
