"""提醒 in a real browser at desktop width and at 375 px: several replies in one thread
make one group "X 等 3 人 回复了您的主题", one notice and one group are marked read,
and the preferences form saves a per-kind channel and the daily digest."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.notifications.models import Notification, NotificationSettings
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height,name", [(1280, 900, "desktop"), (375, 812, "mobile")])
def test_grouped_page_mark_read_and_preferences(browser, live_server, width, height, name):
    cache.clear()
    alice = make_user(f"楼主{name}", email=f"{name}@example.com")
    thread = make_thread(make_board(f"分组版{name}"), alice, subject=f"热门主题{name}")
    for who in ("甲", "乙", "丙"):
        make_reply(thread, make_user(f"{who}{name}"), f"{who}的回复内容")
    other = make_thread(make_board(f"二版{name}"), alice, subject=f"冷门主题{name}")
    make_reply(other, make_user(f"丁{name}"), "另一条回复")
    client = Client()
    client.force_login(alice)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/notifications/")
    groups = page.locator("article.notice-group")
    assert groups.count() == 2
    hot = groups.filter(has_text=f"热门主题{name}")
    assert f"丙{name} 等 3 人 回复了您的主题" in hot.locator(".notice-summary").inner_text()
    assert hot.locator("li.notice.unread").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"notifications-grouped-{name}")
    # one notice
    hot.locator("li.notice.unread").first.get_by_role("button", name="已读").click()
    page.wait_for_url("**/notifications/")
    hot = page.locator("article.notice-group").filter(has_text=f"热门主题{name}")
    assert hot.locator("li.notice.unread").count() == 2
    assert page.locator("a.bell .badge").inner_text() == "3"
    # the group
    hot.get_by_role("button", name="标为已读").click()
    page.wait_for_url("**/notifications/")
    assert page.locator("a.bell .badge").inner_text() == "1"
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 1
    # the preferences form, reached from the page
    page.get_by_role("link", name="提醒设置").first.click()
    page.wait_for_url("**/notifications/settings/")
    row = page.locator("tr.pref-kind_reply")
    row.get_by_label("站内和邮件").check()
    page.locator("tr.pref-kind_pm").get_by_label("关闭").check()
    page.get_by_label("邮件方式").select_option("daily")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"notification-settings-{name}")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/notifications/settings/")
    assert "提醒设置已保存。" in page.content()
    assert page.locator("tr.pref-kind_reply").get_by_label("站内和邮件").is_checked()
    row = NotificationSettings.objects.get(user=alice)
    assert row.channel("reply") == "email" and row.channel("pm") == "off"
    assert row.digest == "daily"
    context.close()
