"""The imported seed thread through the real thread page (``/t/<id>/``): it must show what
the original Discuz! page shows (shared/seed/000_1dde925a2c6de01f.txt)."""

from __future__ import annotations

import re

import pytest

from luntan.threads.models import Post, Thread

from .helpers import run_import
from .test_seed_import import REGIONS, SUBJECT

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _seed_page(client, seed_db) -> tuple[str, str]:
    run_import(seed_db)
    thread = Thread.objects.get(discuz_tid=17406)
    response = client.get(f"/t/{thread.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    return page, _text(page)


def test_imported_seed_thread_page_shows_the_discuz_page(client, seed_db):
    page, text = _seed_page(client, seed_db)
    assert "【新闻转播】" in text
    assert SUBJECT in page
    assert re.search(r"查看: ?\d+", text)
    assert re.search(r"回复: ?3\b", text), "回复: 3 expected"
    for label in ("楼主", "沙发", "板凳", "地板"):
        assert label in text
    for shown in (
        "2011-6-10 13:53:51",
        "2011-6-10 13:56:07",
        "2011-6-10 14:04:24",
        "2011-6-10 15:29:31",
    ):
        assert f"发表于 {shown}" in text
    for region in REGIONS:
        assert f"来自 {region}" in text
    assert text.count("来自 中国江苏徐州") == 2
    assert "王者典范 发表于 2011-6-10 13:56" in text
    assert "/forum.php?mod=redirect&amp;goto=findpost&amp;pid=196831&amp;ptid=17406" in page
    assert "蜀ICP备07502275号-3" in text


def test_imported_quote_link_leads_to_floor_two(client, seed_db):
    run_import(seed_db)
    floor2 = Post.objects.get(discuz_pid=196831)
    legacy = client.get("/forum.php?mod=redirect&goto=findpost&pid=196831&ptid=17406")
    assert legacy.status_code == 301 and legacy["Location"] == f"/p/{floor2.pk}/"
    permalink = client.get(legacy["Location"])
    assert permalink["Location"] == f"/t/{floor2.thread_id}/#pid{floor2.pk}"
    assert floor2.floor == 2
    thread = client.get("/forum.php?mod=viewthread&tid=17406")
    assert thread.status_code == 301 and thread["Location"] == f"/t/{floor2.thread_id}/"
