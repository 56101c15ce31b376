"""The thread page in a real browser (Debian's Chromium through Playwright), desktop and phone.

Screenshots go to ``test-output/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import pytest

from luntan.core.tests.browser import SCREENSHOTS
from luntan.core.tests.pages import seed_thread
from luntan.threads.tests.factories import make_reply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def thread_url(live_server):
    seed = seed_thread()
    make_reply(
        seed.thread,
        seed.replier,
        "这是一段比较长的回复，用来看看在窄屏上文字能不能正常换行，"
        "而不会把页面撑出横向滚动条。https://example.org/一个很长很长很长很长的链接地址/没有空格",
    )
    return f"{live_server.url}/t/{seed.thread.pk}/"


def _check_page(page) -> None:
    subject = page.locator("h1").first
    assert subject.is_visible()
    assert "【新闻转播】" in subject.inner_text() and "社区开放日活动纪实" in subject.inner_text()
    stats = page.locator(".th-stats").inner_text()
    assert "查看:" in stats and "回复: 4" in stats
    labels = page.locator(".floorno").all_inner_texts()
    assert labels[:5] == ["楼主", "沙发", "板凳", "地板", "5#"]
    assert page.get_by_text("来自 中国江苏徐州").first.is_visible()
    assert page.get_by_text("您需要登录后才可以回帖").is_visible()
    footer = page.locator("footer").inner_text()
    assert "Powered by luntan" in footer and "GMT+8" in footer and "queries" in footer
    # CJK renders with a real font: the subject's box has width, and a CJK glyph is
    # about as wide as the font size (tofu boxes or missing glyphs would not be).
    box = page.locator(".th-title .subject").bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    glyph_ratio = page.evaluate(
        """() => {
            const s = document.createElement('span');
            s.style.fontSize = '40px';
            s.style.position = 'absolute';
            s.textContent = '论';
            document.body.appendChild(s);
            const w = s.getBoundingClientRect().width;
            s.remove();
            return w / 40;
        }"""
    )
    assert 0.8 <= glyph_ratio <= 1.2
    assert page.evaluate("document.fonts.check('16px sans-serif', '论坛')")


def test_thread_page_on_a_desktop(browser, thread_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(thread_url)
    _check_page(page)
    sidebar = page.locator(".pls").first.bounding_box()
    body = page.locator(".plc").first.bounding_box()
    assert sidebar["x"] < body["x"] and abs(sidebar["y"] - body["y"]) < 2  # side by side
    page.screenshot(path=str(SCREENSHOTS / "thread-desktop.png"), full_page=True)
    page.close()


def test_thread_page_on_a_phone_has_no_horizontal_scroll(browser, thread_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(
        viewport={"width": 375, "height": 812}, device_scale_factor=2, locale="zh-CN"
    )
    page.goto(thread_url)
    _check_page(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    sidebar = page.locator(".pls").first.bounding_box()
    body = page.locator(".plc").first.bounding_box()
    assert sidebar["y"] < body["y"]  # stacked
    page.screenshot(path=str(SCREENSHOTS / "thread-375.png"), full_page=True)
    page.close()


def test_copy_link_copies_the_permalink(browser, thread_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(thread_url)
    link = page.locator("a.copylink")
    link.click()
    assert page.url == thread_url  # the click did not navigate
    assert page.evaluate("navigator.clipboard.readText()") == thread_url
    assert link.inner_text() == "[已复制]"
    context.close()


def test_board_index_and_board_page_at_360_px(browser, live_server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seed = seed_thread()
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{live_server.url}/")
    assert page.get_by_text("新闻资讯").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SCREENSHOTS / "index-360.png"), full_page=True)
    page.goto(f"{live_server.url}/f/{seed.board.pk}/")
    assert page.get_by_text("社区开放日活动纪实").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SCREENSHOTS / "board-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    page.screenshot(path=str(SCREENSHOTS / "index-desktop.png"), full_page=True)
    page.goto(f"{live_server.url}/f/{seed.board.pk}/")
    page.screenshot(path=str(SCREENSHOTS / "board-desktop.png"), full_page=True)
    page.close()


def test_reading_mode_and_error_page_render_cleanly(browser, live_server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seed = seed_thread()
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(f"{live_server.url}/t/{seed.thread.pk}/read/")
    assert page.locator(".reader h1").is_visible()
    assert "说得好听" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SCREENSHOTS / "read-375.png"), full_page=True)
    response = page.goto(f"{live_server.url}/t/999999/")
    assert response.status == 404
    assert page.get_by_text("抱歉，您访问的页面不存在").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/t/{seed.thread.pk}/read/")
    page.screenshot(path=str(SCREENSHOTS / "read-desktop.png"), full_page=True)
    page.close()
