"""两步验证 (allauth.mfa): log-in with a second factor, its throttling, the captcha and
rate limits of the password step, the mobile API refusing a password alone, the
管理中心's sudo mode confirmed by a code, and the pages in English."""

from __future__ import annotations

import base64

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from luntan.accounts.groups import GroupId
from luntan.accounts.models import User
from luntan.accounts.tests.helpers import activate_totp, solve_from_page, totp
from luntan.admincenter import sudo
from luntan.api.tests.mobile_golden import call
from luntan.core.tests.test_english import leftover_cjk

pytestmark = pytest.mark.django_db

PW = "right-password"


@pytest.fixture
def member(site_mode):
    site_mode("none")
    user = User.objects.create_user("双因子", email="mfa@example.com", password=PW)
    secret, codes = activate_totp(user)
    user.totp_secret, user.recovery_codes = secret, codes  # for the tests only
    return user


def _login(client, password: str = PW, name: str = "双因子", **extra):
    return client.post("/accounts/login/", {"login": name, "password": password, **extra})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_rfc_6238_vector():
    # RFC 6238 appendix B, SHA1, T = 59 s: 94287082 (8 digits).
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, at=59, digits=8) == "94287082"


def test_password_alone_does_not_sign_in_the_code_does(client, member):
    response = _login(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert not _signed_in(client)
    page = client.get("/accounts/2fa/authenticate/").content.decode()
    assert "您的账号已启用两步验证" in page and "使用通行密钥或安全密钥" in page
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and not _signed_in(client)
    code = totp(member.totp_secret)
    client.post("/accounts/2fa/authenticate/", {"code": code if code != "000000" else "x"})
    assert _signed_in(client)


def test_a_recovery_code_works_once(client, member):
    _login(client)
    client.post("/accounts/2fa/authenticate/", {"code": member.recovery_codes[0]})
    assert _signed_in(client)
    client.post("/accounts/logout/")
    other = Client()
    _login(other)
    again = other.post("/accounts/2fa/authenticate/", {"code": member.recovery_codes[0]})
    assert again.status_code == 200 and not _signed_in(other)


def test_codes_are_throttled_like_passwords(client, member):
    _login(client)
    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": "000001"})
    refused = client.post("/accounts/2fa/authenticate/", {"code": member.recovery_codes[1]})
    assert refused.status_code in {200, 429}
    assert not _signed_in(client)


def test_the_password_step_keeps_its_captcha(client, member, settings):
    settings.LUNTAN_CAPTCHA = True
    for _ in range(3):
        _login(client, "wrong")
    refused = _login(client)
    assert "请完成人机验证。" in refused.content.decode()
    page = client.get("/accounts/login/").content.decode()
    response = _login(client, captcha=solve_from_page(page))
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not _signed_in(client)


def test_settings_show_the_state_and_link(client, member):
    client.force_login(member)
    page = client.get("/accounts/settings/").content.decode()
    assert "mfa-on" in page and 'href="/accounts/2fa/"' in page
    overview = client.get("/accounts/2fa/").content.decode()
    assert "还有 10 个恢复代码可用（共 10 个）" in overview


def test_mobile_login_refuses_a_password_alone(client, member):
    body = call(client, "login", "post", username="双因子", password=PW, loginfield="username")
    assert body["Message"]["messageval"] == "login_mfa_required"
    assert "两步验证" in body["Message"]["messagestr"]
    assert not _signed_in(client)
    # Without two-factor sign-in the same client still logs in.
    User.objects.create_user("普通", password=PW)
    body = call(client, "login", "post", username="普通", password=PW, loginfield="username")
    assert body["Message"]["messageval"] == "login_succeed"


def test_sudo_mode_accepts_a_code_instead_of_the_password(client, settings):
    settings.LUNTAN_ADMIN_SUDO_SECONDS = 1800
    admin = User.objects.create_user("站长", password=PW, group_id=GroupId.ADMIN)
    secret, codes = activate_totp(admin)
    client.force_login(admin)
    confirm = client.get("/admin-center/")["Location"]
    page = client.get(confirm).content.decode()
    assert "使用验证器应用的验证码或恢复代码" in page
    link = "/accounts/2fa/reauthenticate/?next=%2Fadmin-center%2F"
    assert link in page
    response = client.post(link, {"code": codes[0]})
    assert response.status_code == 302 and response["Location"] == "/admin-center/"
    assert client.get("/admin-center/").status_code == 200
    # The window applies to a code as to the password.
    records = client.session["account_authentication_methods"]
    for record in records:
        record["at"] -= 1801
    session = client.session
    session["account_authentication_methods"] = records
    session.save()
    assert sudo.SESSION_KEY not in client.session
    assert client.get("/admin-center/")["Location"].startswith("/admin-center/confirm/")
    # The password still works for a two-factor account.
    client.post("/admin-center/confirm/", {"password": PW, "next": "/admin-center/"})
    assert client.get("/admin-center/").status_code == 200


def test_members_without_two_factor_see_only_the_password(client):
    admin = User.objects.create_user("站长", password=PW, group_id=GroupId.ADMIN)
    client.force_login(admin)
    page = client.get("/admin-center/confirm/").content.decode()
    assert "使用验证器应用的验证码或恢复代码" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/totp/deactivate/",
        "/accounts/reauthenticate/",
        "/accounts/2fa/reauthenticate/",
        "/accounts/2fa/webauthn/",
        "/accounts/2fa/webauthn/add/",
        "/accounts/2fa/webauthn/keys/{key}/edit/",
        "/accounts/2fa/webauthn/keys/{key}/remove/",
    ],
)
def test_two_factor_pages_are_english(client, site_mode, url):
    site_mode("none")
    user = User.objects.create_user("mfa-en", password=PW, email="en@example.com")
    if url not in ("/accounts/2fa/totp/activate/",):
        activate_totp(user)
    if "{key}" in url or url.endswith("/webauthn/"):  # a stored key (not a real credential)
        key = Authenticator.objects.create(
            user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "YubiKey"}
        )
        url = url.format(key=key.pk)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    client.post("/accounts/reauthenticate/", {"password": PW})
    html = client.get(url).content.decode()
    main = html[html.index("<main") : html.index("</main>")] if "<main" in html else html
    assert leftover_cjk(main) == [], url


def test_login_code_page_is_english(client, member):
    client.cookies["django_language"] = "en"
    _login(client)
    html = client.get("/accounts/2fa/authenticate/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert leftover_cjk(main) == []
    assert "Two-factor sign-in" in main


def test_staff_with_two_factor_still_log_in_to_a_closed_site(client, site_mode):
    from luntan.core.models import get_site_settings

    site = site_mode("none")
    site = get_site_settings()
    site.site_closed, site.closed_message = True, "升级中"
    site.save()
    admin = User.objects.create_user("站长", password=PW, group_id=GroupId.ADMIN)
    secret, codes = activate_totp(admin)
    assert client.get("/").status_code == 503
    assert _login(client, name="站长")["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/accounts/2fa/authenticate/").status_code == 200
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert _signed_in(client)
    assert client.get("/").status_code == 200


def test_django_admin_login_does_not_skip_the_second_factor():
    """Django's admin has its own log-in form, which would sign a superuser in with the
    password alone; it sends everyone to the site's log-in (with the code step)."""
    from django.test import Client

    from luntan.accounts.tests.helpers import activate_totp
    from luntan.threads.tests.factories import make_user

    root = make_user("根管理员", is_superuser=True, is_staff=True)
    activate_totp(root)
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "根管理员", "password": "pw", "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    # A signed-in member who is not staff is refused, not shown a second log-in form.
    member = Client()
    member.force_login(make_user("普通会员"))
    assert member.get("/admin/login/?next=/admin/").status_code == 403
