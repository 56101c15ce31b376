"""两步验证 in a real browser (Debian's Chromium through Playwright), desktop and 375 px:

- a member sets up an authenticator app from 设置 (the code is computed here from the key
  the page shows, RFC 6238), logs out, logs in with password + code, then logs in with a
  recovery code, which is refused the second time;
- the passkey option is offered and its page renders, and a passkey is added with
  Chromium's virtual authenticator (CDP ``WebAuthn``) and used to log in;
- under 管理人员必须启用两步验证 an administrator without a second factor who opens the
  管理中心 is sent to set it up, then comes back and confirms sudo mode with a code.

Screenshots go to ``test-output/screenshots/mfa-*.png``.
"""

from __future__ import annotations

import time

import pytest

from luntan.accounts.models import UserGroup
from luntan.accounts.tests.helpers import totp
from luntan.core.models import SiteSettings
from luntan.core.tests.browser import save_screenshot
from luntan.threads.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1100, 375]


def _site(**fields) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"site_name": "简阳人论坛", **fields})


def _context(browser, width: int):
    return browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": 900 if width > 400 else 800}
    )


def _login(page, base: str, name: str, password: str = "pw") -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", name)
    page.fill("#id_password", password)
    page.click("form.auth-form button:has-text('登录')")


def _logout(page) -> None:
    page.click("header form.logout button")
    page.wait_for_selector("header >> text=登录")


def _set_up_totp(page, base: str, shot: str) -> tuple[str, list[str]]:
    """From 设置 to an active authenticator app; returns the key and the recovery codes."""
    page.goto(f"{base}/accounts/settings/")
    assert "未启用" in page.locator(".mfa-status").inner_text()
    page.click("a.mfa-settings")
    page.wait_for_selector("h1:has-text('两步验证')")
    assert page.locator("a.mfa-add-webauthn").is_visible()  # the passkey option
    save_screenshot(page, f"mfa-index-{shot}")
    page.click("a.mfa-activate-totp")
    # allauth asks for the password again before a security change.
    page.wait_for_selector("h1:has-text('确认身份')")
    page.fill("#id_password", "pw")
    page.click("form.auth-form button:has-text('确认')")
    page.wait_for_selector("h1:has-text('启用验证器应用')")
    assert page.locator(".mfa-qr img").is_visible()
    save_screenshot(page, f"mfa-activate-{shot}")
    secret = page.input_value("#authenticator_secret")
    page.fill("#id_code", "000000" if totp(secret) != "000000" else "111111")
    page.click("form.auth-form button:has-text('启用两步验证')")
    # a wrong code is refused (the answer is a new page: wait for it, don't race it)
    page.wait_for_selector(".fld-code .errors", timeout=15_000)
    page.fill("#id_code", totp(secret))
    page.click("form.auth-form button:has-text('启用两步验证')")
    page.wait_for_selector("#recovery_codes")
    save_screenshot(page, f"mfa-recovery-codes-{shot}")
    codes = [c.strip() for c in page.locator("#recovery_codes code").all_inner_texts()]
    assert len(codes) == 10
    return secret, codes


@pytest.mark.parametrize("width", WIDTHS)
def test_member_sets_up_totp_and_logs_in_with_code_and_recovery_code(
    browser, live_server, settings, width
):
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed just before a 30 s step still counts
    _site()
    make_user("双因子会员", email="mfa@example.com")
    base = live_server.url
    context = _context(browser, width)
    page = context.new_page()
    _login(page, base, "双因子会员")
    page.wait_for_selector("header a.me")
    secret, codes = _set_up_totp(page, base, str(width))
    page.goto(f"{base}/accounts/settings/")
    assert "已启用" in page.locator(".mfa-status").inner_text()
    _logout(page)

    # Password alone no longer logs in: the code page comes next.
    _login(page, base, "双因子会员")
    page.wait_for_selector("h1:has-text('两步验证')")
    assert page.locator("header a.me").count() == 0
    save_screenshot(page, f"mfa-authenticate-{width}")
    page.fill("#id_code", totp(secret, at=time.time() + 30))
    page.click("form.mfa-code-form button:has-text('登录')")
    page.wait_for_selector("header a.me")
    assert page.locator("header a.me").inner_text() == "双因子会员"
    _logout(page)

    # A recovery code works once…
    _login(page, base, "双因子会员")
    page.wait_for_selector("form.mfa-code-form")
    page.fill("#id_code", codes[0])
    page.click("form.mfa-code-form button:has-text('登录')")
    page.wait_for_selector("header a.me")
    _logout(page)
    # …and is refused the second time.
    _login(page, base, "双因子会员")
    page.wait_for_selector("form.mfa-code-form")
    page.fill("#id_code", codes[0])
    page.click("form.mfa-code-form button:has-text('登录')")
    page.wait_for_selector(".fld-code .errors")
    assert page.locator("header a.me").count() == 0
    save_screenshot(page, f"mfa-recovery-used-{width}")
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_is_sent_to_set_up_two_factor_before_the_admin_center(
    browser, live_server, settings, width
):
    settings.MFA_TOTP_TOLERANCE = 1
    _site(require_staff_mfa=True)
    make_user("站长老王", group_id=UserGroup.ADMIN, email="admin@example.com")
    base = live_server.url
    context = _context(browser, width)
    page = context.new_page()
    _login(page, base, "站长老王")
    page.wait_for_selector("header a.me")
    page.goto(f"{base}/admin-center/")
    page.wait_for_url(f"{base}/accounts/2fa/")
    assert "本站要求管理人员启用两步验证" in page.content()
    save_screenshot(page, f"mfa-staff-required-{width}")
    secret, codes = _set_up_totp(page, base, f"staff-{width}")
    page.goto(f"{base}/accounts/2fa/")
    page.click("a:has-text('返回刚才的管理页面')")
    # The password was just confirmed to set up the app: that starts the sudo window.
    page.wait_for_url(f"{base}/admin-center/")
    _logout(page)

    # A new login (password + code) asks to confirm again; a two-factor account may
    # confirm with the app's code or a recovery code instead of the password.
    _login(page, base, "站长老王")
    page.fill("#id_code", totp(secret, at=time.time() + 30))
    page.click("form.mfa-code-form button:has-text('登录')")
    page.wait_for_selector("header a.me")
    page.click("header a.admin-center-link")
    page.wait_for_selector("a.confirm-mfa_reauthenticate")
    save_screenshot(page, f"mfa-sudo-{width}")
    page.click("a.confirm-mfa_reauthenticate")
    page.wait_for_selector("h1:has-text('确认身份')")
    page.fill("#id_code", codes[0])
    page.click("form.auth-form button:has-text('确认')")
    page.wait_for_url(f"{base}/admin-center/")
    assert page.locator(".admin-center, main").first.is_visible()
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_member_adds_a_passkey_and_logs_in_with_it(browser, live_server, settings, width):
    """The passkey ceremony with Chromium's virtual authenticator (CDP ``WebAuthn``): it
    answers ``navigator.credentials.create/get`` as a platform authenticator would."""
    _site()
    make_user("密钥会员", email="passkey@example.com")
    base = live_server.url
    context = _context(browser, width)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    authenticator = added["authenticatorId"]
    _login(page, base, "密钥会员")
    page.wait_for_selector("header a.me")
    page.goto(f"{base}/accounts/2fa/")
    page.click("a.mfa-add-webauthn")
    page.wait_for_selector("h1:has-text('确认身份')")
    page.fill("#id_password", "pw")
    page.click("form.auth-form button:has-text('确认')")
    page.wait_for_selector("h1:has-text('添加通行密钥')")
    save_screenshot(page, f"mfa-webauthn-add-{width}")
    page.fill("#id_name", "我的手机")
    page.click("#mfa_webauthn_add")
    page.wait_for_selector("#recovery_codes")  # the first key also makes recovery codes
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1
    page.goto(f"{base}/accounts/2fa/")
    assert "已添加 1 个通行密钥" in page.locator(".mfa-webauthn").inner_text()
    page.click(".mfa-webauthn a:has-text('管理通行密钥')")
    assert "我的手机" in page.locator("table.mfa-keys").inner_text()
    save_screenshot(page, f"mfa-webauthn-list-{width}")
    _logout(page)

    _login(page, base, "密钥会员")
    page.wait_for_selector("form.mfa-code-form")
    assert page.locator("header a.me").count() == 0
    page.click("#mfa_webauthn_authenticate")
    page.wait_for_selector("header a.me")
    assert page.locator("header a.me").inner_text() == "密钥会员"
    context.close()
