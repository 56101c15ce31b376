"""A moderator works a thread in a real browser (Debian's Chromium through Playwright):
close, stick, move (leaving a stub) and split ticked floors into a new thread, all from
the thread page's 主题管理 bar and floor checkboxes. Screenshots go to
``test-output/screenshots/moderation-*.png``."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import seed_thread
from luntan.moderation.models import AuditLog, MovedThread
from luntan.moderation.tests.helpers import make_moderator
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


def test_moderator_closes_sticks_moves_and_splits(browser, live_server):
    seed = seed_thread()
    chat = make_board("闲聊灌水", parent=seed.category)
    mod = make_moderator(seed.board, "版主小王")
    chat.moderators.add(mod)
    thread = seed.thread
    page = logged_in(browser, live_server, mod).new_page()
    page.goto(f"{live_server.url}/t/{thread.pk}/")
    bar = page.locator("#modbar")
    assert bar.is_visible()

    # 关闭
    bar.get_by_role("button", name="关闭").click()
    page.wait_for_load_state()
    assert "本主题由 版主小王 于" in page.locator("#modact").inner_text()
    assert page.locator("#modact").inner_text().endswith("关闭")
    assert page.locator("h1 .tag.closed").is_visible()

    # 置顶 (本版)
    page.locator("#modbar select[name=sticky]").select_option("1")
    page.fill("#modbar input[name=reason]", "活动通知")
    page.locator("#modbar").get_by_role("button", name="置顶").click()
    page.wait_for_load_state()
    assert page.locator("#modact").inner_text().endswith("置顶")
    save_screenshot(page, "moderation-closed-sticky")
    assert Thread.objects.get(pk=thread.pk).sticky == 1
    assert AuditLog.objects.get(action="stick").reason == "活动通知"

    # 移动 to 闲聊灌水, leaving a stub
    page.locator("#modbar").get_by_role("link", name="移动").click()
    page.wait_for_url("**/mod/t/*/move/")
    page.select_option("select[name=board]", label="闲聊灌水")
    page.check("input[name=stub]")
    save_screenshot(page, "moderation-move-form")
    page.get_by_role("button", name="确定移动").click()
    page.wait_for_url(f"**/t/{thread.pk}/")
    assert "闲聊灌水" in page.locator("nav.crumbs").inner_text()
    assert page.locator("#modact").inner_text().endswith("移动")
    assert MovedThread.objects.filter(thread=thread, from_board=seed.board).exists()

    # 分割: tick floors 3 and 4, name the new thread
    third = Post.objects.get(thread=thread, floor=3)
    fourth = Post.objects.get(thread=thread, floor=4)
    page.locator(f"#pid{third.pk} .modsel input").check()
    page.locator(f"#pid{fourth.pk} .modsel input").check()
    page.fill("#modposts input[name=subject]", "分出来的讨论")
    save_screenshot(page, "moderation-split-ticked")
    page.locator("#modposts").get_by_role("button", name="分割").click()
    page.wait_for_url("**/t/*/")
    new = Thread.objects.get(subject="分出来的讨论")
    assert page.url.endswith(f"/t/{new.pk}/")
    assert page.locator("article.floor").count() == 2
    assert "本主题由 版主小王 于" in page.locator("#modact").inner_text()
    save_screenshot(page, "moderation-split-result")
    assert list(Post.objects.filter(thread=new).order_by("floor").values_list("pk", flat=True)) == [
        third.pk,
        fourth.pk,
    ]
    assert list(
        Post.objects.filter(thread=thread).values_list("floor", flat=True).order_by("floor")
    ) == [1, 2]
    # the tools wrap on a phone
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/t/{thread.pk}/")
    assert page.locator("#modbar").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    save_screenshot(page, "moderation-thread-phone")
    assert [e.action for e in AuditLog.objects.order_by("pk")] == [
        "close",
        "stick",
        "move",
        "split",
        "split",
    ]


def test_administrator_checks_then_repairs_counters(browser, live_server):
    """修复统计: the page lists the drift first, the button repairs it (issue 9 item 16)."""
    from luntan.accounts.models import UserGroup
    from luntan.threads.tests.factories import make_user

    seed = seed_thread()
    Thread.objects.filter(pk=seed.thread.pk).update(replies=42)
    admin = make_user("站长", group_id=UserGroup.ADMIN)
    page = logged_in(browser, live_server, admin).new_page()
    page.goto(f"{live_server.url}/mod/queue/")
    page.locator("nav.modnav").get_by_role("link", name="修复统计").click()
    page.wait_for_url("**/mod/counters/")
    table = page.locator("table.modlist")
    assert "42" in table.inner_text() and "replies" in table.inner_text()
    save_screenshot(page, "moderation-counters-drift")
    assert Thread.objects.get(pk=seed.thread.pk).replies == 42
    page.get_by_role("button", name="修复统计").click()
    page.wait_for_url("**/mod/counters/")
    assert "没有发现偏差" in page.locator("section.bm").inner_text()
    save_screenshot(page, "moderation-counters-clean")
    assert Thread.objects.get(pk=seed.thread.pk).replies == 3
