"""[hide] in a browser: a member sees 本帖隐藏的内容 until they have replied in the thread,
then the hidden text."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.accounts.models import UserGroup
from luntan.core.tests.browser import save_screenshot
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_sees_hidden_text_after_replying(browser, live_server):
    UserGroup.objects.filter(pk=11).update(allow_hide_code=True)
    thread = make_thread(
        make_board(), make_user("楼主", group_id=11), body="公开\n[hide]回复后可见的内容[/hide]"
    )
    member = make_user("读者")
    client = Client()
    client.force_login(member)
    context = browser.new_context(locale="zh-CN")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(live_server.url + thread.get_absolute_url())
    assert "本帖隐藏的内容" in page.content() and "回复后可见的内容" not in page.content()
    make_reply(thread, member, "谢谢分享")
    page.reload()
    page.wait_for_selector("text=回复后可见的内容")
    save_screenshot(page, "hide-revealed-after-reply")
    context.close()
