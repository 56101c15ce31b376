"""密码帖 in a browser: a guest sees the lock, types the password in the form and reads the
post; the password itself never appears on the page."""

from __future__ import annotations

import pytest

from luntan.core.tests.browser import save_screenshot
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guest_unlocks_a_password_post(browser, live_server):
    thread = make_thread(
        make_board(), make_user("楼主"), body="[password]pw2011[/password]密码帖的正文"
    )
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + thread.get_absolute_url())
    assert "本帖为密码帖" in page.content()
    assert "密码帖的正文" not in page.content() and "pw2011" not in page.content()
    page.click("text=输入密码")
    page.fill('input[name="password"]', "wrong")
    page.click('form:has(input[name="password"]) button[type="submit"]')
    assert "密码错误" in page.content()
    page.fill('input[name="password"]', "pw2011")
    page.click('form:has(input[name="password"]) button[type="submit"]')
    page.wait_for_selector("text=密码帖的正文")
    assert "pw2011" not in page.content()
    save_screenshot(page, "post-password-unlocked")
    context.close()
