"""短消息 in a real browser at desktop width and at 375 px: the sender writes from 发送短消息,
the recipient sees the unread count in the header, opens the inbox and the conversation,
reads the message and replies."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.pms.models import Message
from luntan.threads.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONVERSATION = re.compile(r"/pm/[0-9]+/(#last)?$")


def _signed_in(browser, live_server, member, width, height):
    client = Client()
    client.force_login(member)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.mark.parametrize("width,height,name", [(1280, 900, "desktop"), (375, 812, "mobile")])
def test_send_a_message_and_read_it_as_the_recipient(browser, live_server, width, height, name):
    sender = make_user(f"寄信人{name}")
    recipient = make_user(f"收信人{name}")

    context = _signed_in(browser, live_server, sender, width, height)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.locator("a.pm").click()
    page.wait_for_url("**/pm/")
    page.get_by_role("link", name="发送短消息").click()
    page.wait_for_url("**/pm/new/")
    page.get_by_label("收件人").fill(f"没有这个人{name}")
    page.get_by_label("内容").fill("[b]今晚七点老地方见[/b]")
    page.get_by_role("button", name="发送").click()
    assert f"收件人 没有这个人{name} 不存在" in page.content()
    page.get_by_label("收件人").fill(recipient.username)
    page.get_by_role("button", name="发送").click()
    page.wait_for_url(CONVERSATION)
    assert page.locator(".pm-body strong", has_text="今晚七点老地方见").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()

    context = _signed_in(browser, live_server, recipient, width, height)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    badge = page.locator("a.pm .badge")
    assert badge.inner_text() == "1"
    page.locator("a.pm").click()
    page.wait_for_url("**/pm/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"pms-inbox-{name}")
    page.locator("a.pm-link", has_text=sender.username).click()
    page.wait_for_url(CONVERSATION)
    assert page.locator(".pm-body strong", has_text="今晚七点老地方见").is_visible()
    assert page.locator("a.pm .badge").count() == 0
    page.locator("#id_body").fill("好的，不见不散")
    page.get_by_role("button", name="发送").click()
    page.wait_for_url(CONVERSATION)
    assert page.locator(".pm-message.mine .pm-body", has_text="不见不散").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"pms-conversation-{name}")
    assert Message.objects.filter(author=recipient, source="好的，不见不散").exists()
    context.close()
