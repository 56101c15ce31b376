"""Live replies in a real browser, served by uvicorn (ASGI) as ``make run`` serves them:
A has the thread open, B replies from the quick reply box, and A sees "N 条新回复"
within 2 seconds without reloading, then loads the floor in place. Desktop and 375 px."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest
from django.db import connections
from django.test import Client

from luntan.core.tests.browser import save_screenshot
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asgi_url(transactional_db, settings):
    """``luntan.asgi`` under uvicorn in a thread, on the test database; its URL."""
    import uvicorn
    from asgiref.sync import sync_to_async

    from luntan.asgi import application

    settings.LUNTAN_LIVE_REDIS_URL = ""  # the shared-cache broker: one process here
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    # Django ran the server's sync code in asgiref's one sync thread: close the test
    # database connections it opened there (from a fresh loop: Playwright runs one here).
    closer = threading.Thread(target=lambda: asyncio.run(sync_to_async(connections.close_all)()))
    closer.start()
    closer.join(10)


def _member_page(browser, url, user, width, height):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}]
    )
    return context, context.new_page()


@pytest.mark.parametrize("width,height,name", [(1280, 900, "desktop"), (375, 812, "mobile")])
def test_a_reply_by_b_reaches_a_within_two_seconds(browser, asgi_url, width, height, name):
    board = make_board(f"实时版{name}")
    writer = make_user(f"楼主{name}")
    thread = make_thread(board, writer, subject=f"实时回复测试{name}")
    make_reply(thread, writer, "第二楼，已经在页面上。")
    reader, replier = make_user(f"读者{name}"), make_user(f"回复者{name}")
    ctx_a, page_a = _member_page(browser, asgi_url, reader, width, height)
    ctx_b, page_b = _member_page(browser, asgi_url, replier, width, height)
    page_a.goto(f"{asgi_url}/t/{thread.pk}/")
    page_b.goto(f"{asgi_url}/t/{thread.pk}/")
    assert page_a.locator("article.floor").count() == 2
    assert page_a.locator("#live-bar").is_hidden()
    page_a.wait_for_timeout(700)  # the stream is open (its first event has arrived)
    page_a.evaluate("window.__stay = 1")

    page_b.fill("#fastpostmessage", "B 的新回复，应该马上出现在 A 的页面上。")
    page_b.get_by_role("button", name="发表回复").click()
    page_b.locator("article.floor").nth(2).wait_for()
    started = time.monotonic()
    page_a.locator("#live-bar").wait_for(state="visible", timeout=2000)
    assert time.monotonic() - started < 2.0
    assert page_a.locator("#live-bar").inner_text().strip() == "1 条新回复"
    save_screenshot(page_a, f"live-bar-{name}")

    page_a.locator("#live-bar a").click()
    page_a.locator("article.floor").nth(2).wait_for()
    assert "B 的新回复" in page_a.locator("article.floor").nth(2).inner_text()
    assert page_a.evaluate("window.__stay") == 1  # no reload
    assert page_a.locator("#live-bar").is_hidden()
    assert page_a.locator("#th-replies").inner_text() == "2"
    assert page_a.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page_a, f"live-loaded-{name}")
    # B's own reply is on B's page already: no bar there
    page_b.wait_for_timeout(800)
    assert page_b.locator("#live-bar").is_hidden()
    ctx_a.close()
    ctx_b.close()


def test_without_javascript_the_page_works_and_shows_no_bar(browser, asgi_url):
    thread = make_thread(make_board("无脚本版"))
    client = Client()
    client.force_login(make_user())
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": asgi_url}]
    )
    page = context.new_page()
    page.goto(f"{asgi_url}/t/{thread.pk}/")
    assert page.locator("article.floor").count() == 1
    assert page.locator("#live-bar").is_hidden()
    context.close()
