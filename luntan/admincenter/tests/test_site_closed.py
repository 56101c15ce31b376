"""站点关闭: guests and members get the closed page (503) with the message; staff enter;
the log-in page stays open."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.admincenter.tests.helpers import make_admin
from luntan.core.tests.pages import configure_site
from luntan.moderation.tests.helpers import make_moderator
from luntan.threads.tests.factories import make_board, make_user

pytestmark = pytest.mark.django_db


def test_closed_site_shows_the_message_to_guests_and_members():
    configure_site(site_closed=True, closed_message="系统升级中，预计 22:00 恢复。")
    for client in (Client(), _logged_in(make_user("普通会员"))):
        response = client.get("/")
        assert response.status_code == 503
        assert "系统升级中，预计 22:00 恢复。" in response.content.decode()
        assert response["Retry-After"] == "3600"
    assert Client().get("/accounts/login/").status_code == 200


def test_staff_still_enter_a_closed_site():
    configure_site(site_closed=True, closed_message="维护中")
    board = make_board("新闻")
    for user in (make_admin(), make_moderator(board, "版主小王")):
        assert _logged_in(user).get("/").status_code == 200


def test_open_site_answers_normally():
    configure_site(site_closed=False, closed_message="维护中")
    assert Client().get("/").status_code == 200


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
