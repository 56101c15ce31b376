"""A board page's way into posting and the header's search box, as a person sees them at
desktop width and on a phone (375 px): a member clicks 发帖 and lands on the new-thread
form; a guest follows 登录后发帖 to the login page; the header search (box on desktop,
搜索 link in the blue bar on a phone) leads to the search page."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import configure_site
from luntan.threads.tests.factories import make_board, make_category, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 800}}


def _member_context(browser, live_server, viewport):
    client = Client()
    client.force_login(make_user("摄影爱好者"))
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.mark.parametrize("size", SIZES)
def test_a_member_starts_a_thread_from_an_empty_board(browser, live_server, size):
    configure_site()
    board = make_board("老街摄影", parent=make_category("综合"))
    context = _member_context(browser, live_server, SIZES[size])
    page = context.new_page()
    page.goto(f"{live_server.url}/f/{board.pk}/")
    button = page.get_by_role("link", name="发帖")
    assert button.is_visible()
    save_screenshot(page, f"board-new-thread-button-{size}")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    button.click()
    page.wait_for_url(f"{live_server.url}/f/{board.pk}/new/")
    assert page.locator("input[name=subject]").is_visible()
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_guest_is_led_to_log_in_and_can_search(browser, live_server, size):
    configure_site()
    board = make_board("老街摄影", parent=make_category("综合"))
    page = browser.new_page(locale="zh-CN", viewport=SIZES[size])
    page.goto(f"{live_server.url}/f/{board.pk}/")
    assert page.get_by_role("link", name="找回密码").is_visible()
    login = page.get_by_role("link", name="登录后发帖")
    assert login.is_visible()
    save_screenshot(page, f"board-guest-login-to-post-{size}")
    if size == "desktop":
        box = page.get_by_role("searchbox", name="搜索关键词")
        assert box.is_visible()
        box.fill("老街")
        box.press("Enter")
        page.wait_for_url(lambda url: "/search/?q=" in url)
        assert page.url.endswith("/search/?q=%E8%80%81%E8%A1%97")
    else:
        page.locator(".nv").get_by_role("link", name="搜索").click()
        page.wait_for_url(f"{live_server.url}/search/")
    page.goto(f"{live_server.url}/f/{board.pk}/")
    page.get_by_role("link", name="登录后发帖").click()
    page.wait_for_url(lambda url: "/accounts/login/?next=" in url)
    assert f"next=/f/{board.pk}/new/" in page.url.replace("%2F", "/")
    page.close()
