"""在线会员 on the index in a real browser, desktop and 375 px: the member is listed and
the box fits the width."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.threads.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height,name", [(1280, 900, "desktop"), (375, 812, "mobile")])
def test_online_box_on_the_index(browser, live_server, width, height, name):
    cache.clear()
    member = make_user(f"在线的人{name}")
    client = Client()
    client.force_login(member)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    box = page.locator("section.online")
    assert box.is_visible()
    assert "总计 1 人在线" in box.inner_text() and "最高记录是 1 于" in box.inner_text()
    assert box.get_by_role("link", name=member.username).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"online-{name}")
    context.close()
