"""In a real browser (Chromium through Playwright): a member creates a token on the
settings page, copies the secret shown once, uses it against the API, revokes it; the
API docs page loads Swagger UI from our own static files only.

Screenshots go to ``test-output/screenshots/api-*.png``.
"""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.accounts.groups import GroupId
from luntan.core.tests.browser import save_screenshot
from luntan.threads.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _outside_requests(page, live_server) -> list[str]:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )
    return outside


def test_create_use_and_revoke_a_token(browser, live_server, client):
    member = make_user("令牌会员", group_id=GroupId.REGISTERED)
    client.force_login(member)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    outside = _outside_requests(page, live_server)
    page.goto(f"{live_server.url}/accounts/settings/")
    assert "还没有令牌" in page.inner_text("body")
    page.fill("#id_name", "我的脚本")
    page.check("input[name=scopes][value=write]")
    page.click("button:has-text('创建令牌')")
    secret = page.inner_text("#new-token").strip()
    assert secret.startswith("lt_")
    save_screenshot(page, "api-token-created")
    me = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/me").json()
    assert me["username"] == "令牌会员" and me["scopes"] == ["read", "write"]

    page.goto(f"{live_server.url}/accounts/settings/")
    assert secret not in page.content()  # shown once only
    assert "我的脚本" in page.inner_text("table.tokens")
    page.click("table.tokens button:has-text('撤销')")
    page.wait_for_selector("text=令牌已撤销")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/me").status_code == 401
    assert outside == []
    context.close()


def test_api_docs_render_without_any_third_party_request(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    outside = _outside_requests(page, live_server)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert "/api/v1/threads/{thread_id}" in page.inner_text("#swagger-ui")
    save_screenshot(page, "api-docs")
    assert outside == []
    context.close()


def test_settings_page_with_tokens_fits_a_phone(browser, live_server, client):
    from luntan.accounts.tokens import create_token

    member = make_user("窄屏令牌会员", group_id=GroupId.REGISTERED)
    create_token(member, name="一个名字相当长的自动化脚本令牌", scopes=["write", "moderate"])
    create_token(member, name="another-rather-long-token-name-for-ci", scopes=[])
    client.force_login(member)
    for lang in ("zh-CN", "en"):
        context = browser.new_context(locale=lang, viewport={"width": 375, "height": 780})
        cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value}]
        if lang == "en":
            cookies.append({"name": "django_language", "value": "en"})
        context.add_cookies([{**c, "url": live_server.url} for c in cookies])
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/settings/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        buttons = page.locator("table.tokens button")
        assert buttons.count() == 2
        for i in range(2):
            box = buttons.nth(i).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        save_screenshot(page, f"api-tokens-375-{lang}")
        context.close()
