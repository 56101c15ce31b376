"""Unread markers in a real browser (desktop and 375 px): a member sees 新 on the index
and the board list for a thread with replies they have not read, follows it to the first
unread floor, and marks the board read."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user
from luntan.unread import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height,name", [(1280, 900, "desktop"), (375, 812, "mobile")])
def test_new_marker_jumps_to_the_first_unread_floor(browser, live_server, width, height, name):
    reader, writer = make_user(f"读者{name}"), make_user(f"作者{name}")
    board = make_board(f"未读版{name}")
    quiet = make_thread(board, writer, subject=f"已读的主题{name}")
    quiet.refresh_from_db()
    services.record_read(reader, quiet, quiet.max_floor)
    thread = make_thread(board, writer, subject=f"有未读回复的主题{name}")
    for n in range(2, 5):
        make_reply(thread, writer, f"已经读过的第{n}楼")
    thread.refresh_from_db()
    services.record_read(reader, thread, thread.max_floor)
    first_new = make_reply(thread, writer, "这是第一条未读的回复")
    make_reply(thread, writer, "这是第二条未读的回复")

    client = Client()
    client.force_login(reader)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/")  # the board's last thread has unread replies
    assert page.locator(f'a.tag.new[href="/t/{thread.pk}/unread/"]').is_visible()
    page.goto(f"{live_server.url}/f/{board.pk}/")
    row = page.locator("tr", has_text=f"有未读回复的主题{name}")
    assert row.locator("a.tag.new").is_visible()
    assert page.locator("tr", has_text=f"已读的主题{name}").locator("a.tag.new").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"unread-board-{name}")
    row.locator("a.tag.new").click()
    page.wait_for_url(f"**/t/{thread.pk}/**")
    assert page.url.endswith(f"#pid{first_new.pk}")
    assert page.locator(f"#pid{first_new.pk}").is_visible()  # scrolled to it

    page.goto(f"{live_server.url}/f/{board.pk}/")
    assert page.locator("a.tag.new").count() == 0  # reading the page recorded it
    make_reply(quiet, writer, "已读主题的新回复")
    page.reload()
    assert page.locator("a.tag.new").count() == 1
    page.get_by_role("button", name="标记本版已读").click()
    page.wait_for_url(f"**/f/{board.pk}/")
    assert page.locator("a.tag.new").count() == 0
    page.goto(f"{live_server.url}/new/")
    assert page.get_by_role("link", name=f"已读的主题{name}").is_visible()
    save_screenshot(page, f"unread-recent-{name}")
    context.close()
