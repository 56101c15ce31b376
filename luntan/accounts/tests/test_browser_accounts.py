"""Registration in a real browser (Debian's Chromium through Playwright), captcha ON:
register → verification mail from the outbox → open the link → confirm → log out → log in
→ own name in the header → log out by the POST button.

Screenshots go to ``test-output/screenshots/accounts-*.png``.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from luntan.accounts.models import User, UserGroup
from luntan.accounts.tests.helpers import PASSWORD
from luntan.core.models import SiteSettings
from luntan.core.tests.browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"accounts-{name}.png"), full_page=True)


def test_register_verify_login_logout(browser, live_server, settings):
    settings.LUNTAN_CAPTCHA = True
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"site_name": "简阳人论坛", "registration_mode": "email"}
    )
    context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )

    page.goto(f"{live_server.url}/")
    page.click("text=马上注册")
    page.wait_for_selector(".lt-captcha-bar")
    page.fill("#id_username", "浏览器会员")
    page.fill("#id_email", "browser@example.com")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator(".lt-captcha-bar").first.click()
    page.wait_for_selector(".lt-captcha[data-state=verified]", timeout=30_000)
    _shot(page, "signup")
    page.click("button:has-text('提交注册')")
    page.wait_for_url(f"{live_server.url}/")
    member = User.objects.get(username="浏览器会员")
    assert member.group_id == UserGroup.AWAITING_VERIFICATION
    assert "浏览器会员" in page.locator("header").inner_text()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    _shot(page, "confirm")
    page.click("button:has-text('确认')")
    member.refresh_from_db()
    assert member.group_id == UserGroup.NEWBIE

    page.click("header form.logout button")
    page.wait_for_selector("header >> text=登录")
    assert "浏览器会员" not in page.locator("header").inner_text()

    page.click("header >> text=登录")
    page.fill("#id_login", "browser@example.com")
    page.fill("#id_password", PASSWORD)
    _shot(page, "login")
    page.click("form.auth-form button:has-text('登录')")
    page.wait_for_selector("header a.me")
    assert page.locator("header a.me").inner_text() == "浏览器会员"
    _shot(page, "logged-in")

    page.click("header form.logout button")
    page.wait_for_selector("header >> text=马上注册")
    assert outside == []  # no third-party request (the captcha script is ours)
    context.close()


def test_phone_layout_of_the_signup_page(browser, live_server, settings):
    settings.LUNTAN_CAPTCHA = True
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 780})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    page.wait_for_selector(".lt-captcha-bar")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    _shot(page, "signup-phone")
    page.goto(f"{live_server.url}/accounts/password/reset/")
    _shot(page, "reset-phone")
    context.close()
