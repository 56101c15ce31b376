"""管理日志 and 积分规则 as a person reads them (issue 14, item 6), desktop and 375 px:
the log says what changed in words with working links, the rules page writes the total
formula with credit names."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.moderation import services
from luntan.moderation.tests.helpers import make_super_moderator
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}


@pytest.mark.parametrize("size", SIZES)
def test_the_moderation_log_reads_as_words(browser, live_server, size):
    from django.core.cache import cache

    from luntan.credits.defaults import ensure_defaults

    ensure_defaults()  # a transactional test's flush removed migration 0002's rows
    cache.clear()
    board = make_board("老街新闻")
    other = make_board("闲聊灌水", parent=board.parent)
    boss = make_super_moderator("超版老王")
    t = make_thread(board, make_user("街坊甲"), "社区开放日活动")
    reply = make_reply(t, make_user("街坊乙"), "第二楼的内容在这里")
    services.close_thread(t, actor=boss, reason="结贴")
    services.move_thread(t, actor=boss, to_board=other)
    services.warn_author(reply, actor=boss, reason="发广告")
    client = Client()
    client.force_login(boss)
    context = browser.new_context(locale="zh-CN", viewport=SIZES[size])
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/mod/log/")
    table = page.locator("table.modlist")
    text = table.inner_text()
    assert "{" not in text and "post #" not in text
    assert "状态：打开 → 关闭" in text
    assert "版块：老街新闻 → 闲聊灌水" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    save_screenshot(page, f"mod-log-words-{size}")
    table.get_by_role("link", name="《社区开放日活动》", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/t/{t.pk}/")
    page.goto(f"{live_server.url}/credits/rules/")
    formula = page.locator(".formula").inner_text()
    assert formula == "总积分 = 发帖数 + 精华帖数×5 + 威望×2 + 金钱 + 贡献"
    save_screenshot(page, f"credit-rules-formula-{size}")
    context.close()
