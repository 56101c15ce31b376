"""Log in (登录) by name or e-mail, 自动登录, log out by POST only, throttling, password
reset (找回密码) that tells nobody whether an account exists, no open redirects, CSRF."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client

from luntan.accounts.hashers import DiscuzPasswordHasher
from luntan.accounts.models import User
from luntan.accounts.tests.helpers import PASSWORD, last_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(site_mode):
    site_mode("none")
    return User.objects.create_user("登录测试", email="login@example.com", password=PASSWORD)


def _logged_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def test_login_by_username(client, member):
    response = client.post("/accounts/login/", {"login": "登录测试", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert _logged_in_as(client) == member.pk
    assert "登录测试" in client.get("/").content.decode()


def test_login_by_email(client, member):
    client.post("/accounts/login/", {"login": "LOGIN@example.com", "password": PASSWORD})
    assert _logged_in_as(client) == member.pk


def test_wrong_password_is_refused(client, member):
    response = client.post("/accounts/login/", {"login": "登录测试", "password": "nope"})
    assert response.status_code == 200 and 'class="errors"' in response.content.decode()
    assert _logged_in_as(client) is None


def test_imported_discuz_password_logs_in_and_is_upgraded(client, member, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "luntan.accounts.hashers.DiscuzPasswordHasher",
    ]
    member.password = DiscuzPasswordHasher().encode("老密码123", "a1b2c3")
    member.save(update_fields=["password"])
    client.post("/accounts/login/", {"login": "登录测试", "password": "老密码123"})
    assert _logged_in_as(client) == member.pk
    member.refresh_from_db()
    assert member.password.startswith("argon2$")


def test_without_remember_me_the_session_ends_with_the_browser(client, member):
    client.post("/accounts/login/", {"login": "登录测试", "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()
    assert "expires" not in str(client.cookies["sessionid"]).lower()


def test_remember_me_keeps_the_session_for_two_weeks(client, member):
    client.post("/accounts/login/", {"login": "登录测试", "password": PASSWORD, "remember": "on"})
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 14 * 24 * 3600
    assert client.cookies["sessionid"]["max-age"] == 14 * 24 * 3600


def test_logout_by_get_only_asks(client, member):
    client.force_login(member)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert _logged_in_as(client) == member.pk
    client.post("/accounts/logout/")
    assert _logged_in_as(client) is None


def test_failed_logins_are_throttled(client, member):
    for _ in range(5):
        client.post("/accounts/login/", {"login": "登录测试", "password": "nope"})
    # The right password is refused too until the window passes.
    response = client.post("/accounts/login/", {"login": "登录测试", "password": PASSWORD})
    assert response.status_code in {200, 429}
    assert _logged_in_as(client) is None
    # Another account from another address is not affected.
    User.objects.create_user("别的会员", password=PASSWORD)
    other = Client(REMOTE_ADDR="198.51.100.7")
    other.post("/accounts/login/", {"login": "别的会员", "password": PASSWORD})
    assert _logged_in_as(other) is not None


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "https:evil.example", "/\\evil.example"],
)
def test_next_to_another_site_is_refused(client, member, target):
    response = client.post(
        "/accounts/login/", {"login": "登录测试", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_next_on_the_site_is_followed(client, member):
    response = client.post(
        "/accounts/login/", {"login": "登录测试", "password": PASSWORD, "next": "/t/1/?page=2"}
    )
    assert response["Location"] == "/t/1/?page=2"


def test_password_reset_does_not_tell_whether_the_account_exists(client, member):
    known = client.post("/accounts/password/reset/", {"email": "login@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    done_known = client.get(known["Location"]).content.decode()
    done_unknown = client.get(unknown["Location"]).content.decode()
    strip = lambda html: html.split("<footer")[0]  # noqa: E731 - the footer has timings
    assert strip(done_known) == strip(done_unknown)
    # Only the member's address gets a mail (a reset link); an address without an account
    # gets nothing, so the form cannot be used to mail strangers.
    assert [m.to[0] for m in mail.outbox] == ["login@example.com"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_password_reset_link_sets_a_new_password(client, member):
    client.post("/accounts/password/reset/", {"email": "login@example.com"})
    link = last_link("/accounts/password/reset/key/")
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    new = "new-secret-2024-x"
    response = client.post(action, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert Client().login(username="登录测试", password=new)


def test_account_settings_store_the_time_zone(client, member):
    client.force_login(member)
    page = client.get("/accounts/settings/")
    assert page.status_code == 200 and "America/New_York" in page.content.decode()
    client.post("/accounts/settings/", {"time_zone": "America/New_York"})
    member.refresh_from_db()
    assert member.time_zone == "America/New_York"
    assert "GMT-" in client.get("/").content.decode()  # the footer shows the member's zone
    bad = client.post("/accounts/settings/", {"time_zone": "Mars/Olympus"})
    assert bad.status_code == 200
    member.refresh_from_db()
    assert member.time_zone == "America/New_York"


def test_settings_page_speaks_the_readers_language(client, member, settings):
    # The default zone's label follows the reader's language (it was cached in the first
    # language asked) and the site's zone (it said GMT+8 whatever TIME_ZONE was).
    client.force_login(member)
    html = client.get("/accounts/settings/").content.decode()
    assert "站点默认（Asia/Shanghai，GMT+8）" in html
    client.cookies["django_language"] = "en"
    html = client.get("/accounts/settings/").content.decode()
    assert "Site default (Asia/Shanghai, GMT+8)" in html and "站点默认" not in html
    # the API token help names the header without a raw <token> the browser would eat
    assert "Authorization: Bearer followed by the token" in html
    assert "&lt;token&gt;" not in html and "<token>" not in html
    settings.TIME_ZONE = "America/Sao_Paulo"
    html = client.get("/accounts/settings/").content.decode()
    assert "Site default (America/Sao_Paulo, GMT-3)" in html


def test_settings_need_a_login(client):
    response = client.get("/accounts/settings/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/login/", {"login": "登录测试", "password": PASSWORD}),
        ("/accounts/signup/", {"username": "新人", "email": "n@example.com"}),
        ("/accounts/logout/", {}),
        ("/accounts/password/reset/", {"email": "login@example.com"}),
        ("/accounts/password/change/", {}),
        ("/accounts/email/", {"email": "x@example.com", "action_add": ""}),
        ("/accounts/settings/", {"time_zone": "UTC"}),
        ("/accounts/confirm-email/abc/", {}),
        ("/accounts/3rdparty/", {}),
        ("/accounts/qq/login/", {}),
    ],
)
def test_every_post_form_needs_the_csrf_token(member, path, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(path, data)
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.time_zone == ""


def test_login_form_needs_the_csrf_token_for_guests(member):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "登录测试", "password": PASSWORD})
    assert response.status_code == 403
    assert _logged_in_as(client) is None


def test_unusable_hash_cannot_log_in(client, member):
    member.password = make_password(None)
    member.save(update_fields=["password"])
    client.post("/accounts/login/", {"login": "登录测试", "password": ""})
    assert _logged_in_as(client) is None
