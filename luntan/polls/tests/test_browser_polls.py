"""Polls in a real browser (Chromium through Playwright), at desktop width and at 375 px:
a member opens 发起投票 on 发新帖, posts a multiple-choice poll, a second member votes and
sees the counts, and the box fits a phone screen. Screenshots in
``test-output/screenshots/``."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.polls.models import Poll
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_board, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in(browser, live_server, user, **context_args):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", **context_args)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.mark.parametrize("width,height,name", [(1280, 900, "desktop"), (375, 812, "mobile")])
def test_create_a_poll_and_vote(browser, live_server, width, height, name):
    board = make_board(f"投票版{name}")
    author, voter = make_user(f"发起人{name}"), make_user(f"投票者{name}")

    context = logged_in(browser, live_server, author, viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{live_server.url}/f/{board.pk}/new/")
    page.fill("input[name=subject]", "周末去哪里玩？")
    page.fill("textarea[name=body]", "大家投票决定周末活动的地点吧。")
    page.click("#poll-form summary")
    page.fill("textarea[name=poll_options]", "爬山\n看电影\n逛公园")
    page.fill("input[name=poll_max_choices]", "2")
    save_screenshot(page, f"polls-new-thread-{name}")
    page.get_by_role("button", name="发表帖子").click()
    page.wait_for_url("**/t/*/")
    thread = Thread.objects.get(subject="周末去哪里玩？", board=board)
    assert Poll.objects.get(pk=thread.pk).max_choices == 2
    assert page.locator("#poll").is_visible()
    context.close()

    context = logged_in(browser, live_server, voter, viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{live_server.url}/t/{thread.pk}/")
    poll = page.locator("#poll")
    assert "多选投票" in poll.inner_text()
    page.get_by_label("爬山").check()
    page.get_by_label("逛公园").check()
    save_screenshot(page, f"polls-vote-{name}")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**#poll")
    assert "投票成功" in page.content()
    text = page.locator("#poll").inner_text()
    assert "共有 1 人参与投票" in text and "（我的选择）" in text
    assert page.locator("#poll input[name=option]").count() == 0
    # the box fits the screen: no horizontal scrolling
    box = page.locator("#poll").bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"polls-voted-{name}")
    assert [o.votes for o in Poll.objects.get(pk=thread.pk).options.all()] == [1, 0, 1]
    context.close()
