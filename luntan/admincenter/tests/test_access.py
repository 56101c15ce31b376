"""Who enters the 管理中心: administrators with a fresh password; members and moderators
get 403 and never see it; guests are sent to log in."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from luntan.accounts.groups import GroupId
from luntan.admincenter import sudo
from luntan.admincenter.tests.helpers import admin_client, make_admin
from luntan.moderation.tests.helpers import make_moderator, make_super_moderator
from luntan.threads.tests.factories import make_board, make_user

pytestmark = pytest.mark.django_db

PAGES = ["/admin-center/", "/admin-center/global/", "/admin-center/confirm/"]


def test_guest_is_sent_to_log_in():
    for url in PAGES:
        response = Client().get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "moderator", "super_moderator"])
def test_members_and_moderators_get_403(who):
    if who == "member":
        user = make_user("普通会员", group_id=GroupId.REGISTERED)
    elif who == "moderator":
        user = make_moderator(make_board("新闻"), "版主小王")
    else:
        user = make_super_moderator("超版小李")
    client = Client()
    client.force_login(user)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "站点统计" not in response.content.decode()
    # Even with a sudo timestamp forged into the session nothing opens.
    session = client.session
    session[sudo.SESSION_KEY] = int(time.time())
    session.save()
    assert client.get("/admin-center/").status_code == 403
    assert client.post("/admin-center/global/", {"site_name": "x"}).status_code == 403
    # No entry link in their header either.
    assert "admin-center-link" not in client.get("/").content.decode()


def test_admin_confirms_the_password_first_then_enters():
    admin = make_admin()
    client = Client()
    client.force_login(admin)
    response = client.get("/admin-center/global/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin-center/confirm/?next=")
    page = client.get(response["Location"])
    assert "请再次输入您的密码" in page.content.decode()
    wrong = client.post(
        "/admin-center/confirm/", {"password": "nope", "next": "/admin-center/global/"}
    )
    assert wrong.status_code == 200
    assert "密码错误" in wrong.content.decode()
    assert client.get("/admin-center/global/").status_code == 302
    right = client.post(
        "/admin-center/confirm/", {"password": "pw", "next": "/admin-center/global/"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/admin-center/global/"
    assert client.get("/admin-center/global/").status_code == 200


def test_confirmation_expires_after_the_window(settings):
    settings.LUNTAN_ADMIN_SUDO_SECONDS = 1800
    client = admin_client()
    assert client.get("/admin-center/").status_code == 200
    session = client.session
    session[sudo.SESSION_KEY] = int(time.time()) - 1801
    session.save()
    response = client.get("/admin-center/")
    assert response.status_code == 302
    assert "/admin-center/confirm/" in response["Location"]


def test_confirm_never_redirects_off_site():
    admin = make_admin()
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin-center/confirm/", {"password": "pw", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin-center/"


def test_administrators_see_the_header_link():
    client = admin_client()
    html = client.get("/").content.decode()
    assert 'class="admin-center-link" href="/admin-center/"' in html


def test_the_sudo_password_cannot_be_guessed_without_limit():
    """Sudo mode guards the 管理中心 against a stolen session: its password form is
    rate-limited (allauth's ``reauthenticate`` limit, 10 a minute per member), so the
    session's thief cannot try password after password."""
    from django.core.cache import cache

    cache.clear()
    client = Client()
    client.force_login(make_admin())
    for _n in range(10):
        wrong = client.post("/admin-center/confirm/", {"password": "猜错了", "next": "/"})
        assert wrong.status_code == 200
        assert "密码错误" in wrong.content.decode()
    refused = client.post("/admin-center/confirm/", {"password": "pw", "next": "/"})
    assert refused.status_code == 429
    assert "尝试次数过多" in refused.content.decode()
    assert client.get("/admin-center/").status_code == 302  # still not confirmed
    cache.clear()
