"""The imported seed thread in a real browser (Debian's Chromium), desktop and phone width.

Shows what shared/seed/000_1dde925a2c6de01f.txt shows, element by element; screenshots
go to ``test-output/screenshots/seed-*.png``.
"""

from __future__ import annotations

import pytest

from luntan.core.tests.browser import SCREENSHOTS
from luntan.threads.models import Thread

from .helpers import run_import
from .test_seed_import import SUBJECT

pytestmark = [pytest.mark.mariadb, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seed_url(live_server, seed_db):
    run_import(seed_db)
    return f"{live_server.url}/t/{Thread.objects.get(discuz_tid=17406).pk}/"


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 375)])
def test_imported_seed_thread_shows_the_discuz_page(browser, seed_url, name, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(seed_url)
    title = page.locator("h1").first.inner_text()
    assert "【新闻转播】" in title and SUBJECT in title
    stats = page.locator(".th-stats").inner_text()
    assert "查看: 1166" in stats and "回复: 3" in stats
    assert page.locator(".floorno").all_inner_texts()[:4] == ["楼主", "沙发", "板凳", "地板"]
    body = page.locator("body").inner_text()
    for shown in (
        "发表于 2011-6-10 13:53:51",
        "发表于 2011-6-10 13:56:07",
        "发表于 2011-6-10 14:04:24",
        "发表于 2011-6-10 15:29:31",
        "来自 中国江苏徐州",
        "来自 中国四川眉山",
        "来自 中国四川资阳",
        "您需要登录后才可以回帖",
        "简阳人论坛",
        "蜀ICP备07502275号-3",
    ):
        assert shown in body, shown
    quote = page.locator("blockquote.quote").first
    assert quote.is_visible()
    assert "王者典范 发表于 2011-6-10 13:56" in quote.locator(".quote-header").inner_text()
    assert "只会做样子!" in quote.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"seed-{name}.png"), full_page=True)

    # The quote header's link goes to floor 2 through the legacy findpost redirect.
    quote.locator(".quote-header a").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"#pid{Thread.objects.get(discuz_tid=17406).post_set.get(floor=2).pk}")
    page.close()
