"""提醒设置 inside the member's 设置 page (desktop and 375 px): the section is on the
page beside the signature and profile, and saving it keeps the member on the page."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.notifications.models import NotificationSettings
from luntan.threads.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height,name", [(1280, 900, "desktop"), (375, 812, "mobile")])
def test_preferences_saved_from_the_settings_page(browser, live_server, width, height, name):
    cache.clear()
    alice = make_user(f"设置{name}", email=f"set-{name}@example.com")
    client = Client()
    client.force_login(alice)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/settings/")
    section = page.locator("form.notice-prefs-form")
    assert page.locator("h2#notifications").inner_text() == "提醒设置"
    section.locator("tr.pref-kind_follow").get_by_label("站内和邮件").check()
    section.get_by_label("邮件方式").select_option("daily")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"settings-notifications-{name}")
    section.get_by_role("button", name="保存").click()
    page.wait_for_url("**/accounts/settings/#notifications")
    assert "提醒设置已保存。" in page.content()
    assert (
        page.locator("form.notice-prefs-form tr.pref-kind_follow")
        .get_by_label("站内和邮件")
        .is_checked()
    )
    row = NotificationSettings.objects.get(user=alice)
    assert row.channel("follow") == "email" and row.digest == "daily"
    context.close()
