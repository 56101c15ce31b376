"""提醒 in a real browser at desktop width and at 375 px: the bell's count in the header,
the page grouped by thread, 标为已读 clearing the count."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.notifications.models import Notification
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height,name", [(1280, 900, "desktop"), (375, 812, "mobile")])
def test_bell_page_and_mark_read(browser, live_server, width, height, name):
    cache.clear()
    alice = make_user(f"楼主{name}")
    bob = make_user(f"回复者{name}")
    thread = make_thread(
        make_board(f"提醒版{name}"), alice, subject=f"一个很长的主题标题{name}" * 3
    )
    make_reply(thread, bob, f"我来回复，@{alice.username} 请看")
    other = make_thread(make_board(f"二版{name}"), alice, subject=f"另一个主题{name}")
    make_reply(other, bob, "另一条回复")
    client = Client()
    client.force_login(alice)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    bell = page.locator("a.bell")
    assert bell.is_visible()
    assert bell.locator(".badge").inner_text() == "2"
    bell.click()
    page.wait_for_url("**/notifications/")
    groups = page.locator("article.notice-group")
    assert groups.count() == 2
    assert page.get_by_role("link", name=thread.subject).is_visible()
    assert "提到了您" in groups.nth(1).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"notifications-{name}")
    groups.nth(0).get_by_role("button", name="标为已读").click()
    page.wait_for_url("**/notifications/")
    assert "已标为已读。" in page.content()
    assert page.locator("a.bell .badge").inner_text() == "1"
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_url("**/notifications/")
    assert page.locator("a.bell .badge").count() == 0
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    page.locator("a.notice-post").first.click()
    page.wait_for_url(re.compile(rf".*/t/{other.pk}/.*"))
    context.close()
