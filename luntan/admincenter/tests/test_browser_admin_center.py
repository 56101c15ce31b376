"""The 管理中心 in a real browser (Debian's Chromium through Playwright), at desktop and
375 px width, in Chinese and English: an administrator confirms the password and reads the
首页 (charts drawn on the server), then closes the site from 全局 with a message that a
guest then sees, sends a test mail and opens the site again; saves SMTP settings and
sends the test mail through them to a local SMTP server. Screenshots go to
``test-output/screenshots/admin-center-*.png``."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from luntan.admincenter.tests.helpers import make_admin
from luntan.core.models import SETTINGS_CACHE_KEY, get_site_settings
from luntan.core.tests.browser import save_screenshot
from luntan.core.tests.pages import configure_site
from luntan.moderation.models import AuditLog
from luntan.threads.tests.factories import make_board, make_reply, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASES = [(w, lang) for w in (375, 1280) for lang in ("zh-hans", "en")]
TEXT = {
    "zh-hans": {"saved": "设置已保存", "queued": "测试邮件已加入发送队列", "stats": "站点统计"},
    "en": {
        "saved": "Settings saved",
        "queued": "The test mail is queued",
        "stats": "Site statistics",
    },
}


def _context(browser, live_server, width, lang, user=None):
    context = browser.new_context(
        locale="zh-CN" if lang == "zh-hans" else "en-US",
        viewport={"width": width, "height": 900},
    )
    cookies = [{"name": "django_language", "value": lang, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies.append(
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        )
    context.add_cookies(cookies)
    return context


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_home_after_password_confirmation(browser, live_server, width, lang):
    configure_site(site_name="老街论坛")
    board = make_board("闲聊灌水")
    thread = make_thread(board=board)
    make_reply(thread)
    admin = make_admin()
    context = _context(browser, live_server, width, lang, admin)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.locator("a.admin-center-link").click()
    page.wait_for_load_state()
    assert "/admin-center/confirm/" in page.url
    page.fill("input[name=password]", "pw")
    page.locator(".admin-confirm button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/admin-center")
    assert TEXT[lang]["stats"] in page.locator("main").inner_text()
    assert page.locator(".chart-posts svg rect.bar").count() == 30
    assert page.locator(".chart-posts svg rect.bar[data-value='2']").count() == 1
    assert "闲聊灌水" in page.locator(".chart-boards svg").inner_html()
    assert page.locator(".health .ac-ok").count() >= 3
    _fits(page, width)
    save_screenshot(page, f"admin-center-home-{width}-{lang}")
    page.locator(".ac-periods a").nth(1).click()
    page.wait_for_load_state()
    assert page.locator(".chart-members svg rect.bar").count() == 365
    _fits(page, width)
    context.close()


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_global_closes_the_site_and_sends_a_test_mail(browser, live_server, width, lang):
    configure_site(site_name="老街论坛")
    admin = make_admin()
    context = _context(browser, live_server, width, lang, admin)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin-center/global/")
    page.fill("input[name=password]", "pw")
    page.locator(".admin-confirm button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/admin-center/global/")
    _fits(page, width)
    page.fill("#id_site_name", "老街摄影论坛")
    page.check("#id_site_closed")
    page.fill("#id_closed_message", "系统升级中，预计 22:00 恢复。")
    page.locator(".global-form button[type=submit]").click()
    page.wait_for_load_state()
    assert TEXT[lang]["saved"] in page.locator(".msgs").inner_text()
    assert page.locator(".ac-closed").is_visible()  # staff still enter, with a reminder
    save_screenshot(page, f"admin-center-global-{width}-{lang}")
    site = get_site_settings()
    assert site.site_closed and site.site_name == "老街摄影论坛"
    assert AuditLog.objects.filter(action="site_settings").count() == 1

    guest = _context(browser, live_server, width, lang).new_page()
    response = guest.goto(f"{live_server.url}/")
    assert response is not None and response.status == 503
    assert "系统升级中，预计 22:00 恢复。" in guest.locator(".closed-message").inner_text()
    _fits(guest, width)
    save_screenshot(guest, f"admin-center-closed-{width}-{lang}")

    page.fill(".test-mail input[name=to]", "owner@example.com")
    page.locator(".test-mail button[type=submit]").click()
    page.wait_for_load_state()
    assert TEXT[lang]["queued"] in page.locator(".msgs").inner_text()
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]

    page.uncheck("#id_site_closed")
    page.locator(".global-form button[type=submit]").click()
    page.wait_for_load_state()
    response = guest.goto(f"{live_server.url}/")
    assert response is not None and response.status == 200
    guest.context.close()
    context.close()


MAIL_TEXT = {
    "zh-hans": {"saved": "邮件设置已保存", "queued": "测试邮件已加入发送队列"},
    "en": {"saved": "Mail settings saved", "queued": "The test mail is queued"},
}


@pytest.mark.parametrize(("width", "lang"), CASES)
def test_mail_settings_are_saved_and_the_test_mail_goes_through_them(
    browser, live_server, settings, width, lang
):
    """邮件设置: the administrator types an SMTP server (a local test server), user and
    password, saves (the password is not shown back), and the test mail reaches that
    server with those credentials."""
    from luntan.core.tests.smtp import start_fake_smtp

    settings.EMAIL_BACKEND = "luntan.core.mail.SiteEmailBackend"
    store, server = start_fake_smtp()
    try:
        configure_site(site_name="老街论坛")
        context = _context(browser, live_server, width, lang, make_admin())
        page = context.new_page()
        page.goto(f"{live_server.url}/admin-center/global/")
        page.fill("input[name=password]", "pw")
        page.locator(".admin-confirm button[type=submit]").click()
        page.wait_for_load_state()
        form = page.locator(".mail-settings-form")
        form.locator("input[name=host]").fill("127.0.0.1")
        form.locator("input[name=port]").fill(str(store.port))
        form.locator("input[name=username]").fill("mailer")
        form.locator("input[name=password]").fill("smtp-pw-123")
        form.locator("select[name=security]").select_option("none")
        form.locator("input[name=from_address]").fill("老街论坛 <noreply@example.com>")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert MAIL_TEXT[lang]["saved"] in page.locator(".msgs").inner_text()
        assert page.locator(".mail-settings-form input[name=password]").input_value() == ""
        assert "smtp-pw-123" not in page.content()
        assert f"127.0.0.1:{store.port}" in page.locator(".mail-settings").inner_text()
        _fits(page, width)
        save_screenshot(page, f"admin-center-mail-{width}-{lang}")

        page.fill(".test-mail input[name=to]", "owner@example.com")
        page.locator(".test-mail button[type=submit]").click()
        page.wait_for_load_state()
        assert MAIL_TEXT[lang]["queued"] in page.locator(".msgs").inner_text()
        [got] = store.messages
        assert got.recipients == ["owner@example.com"]
        assert got.sender == "noreply@example.com"
        assert (got.user, got.password) == ("mailer", "smtp-pw-123")
        context.close()
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _forget_settings_cache():
    from django.core.cache import cache

    yield
    cache.delete(SETTINGS_CACHE_KEY)
