"""Password guessing is limited: after 5 wrong board or post passwords in 15 minutes a
member (a guest: an IP) is refused every try, the right one too, until the window ends."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from luntan.core.cache import shared
from luntan.permissions.passwords import set_board_password
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    shared.clear()
    yield
    cache.clear()
    shared.clear()


@pytest.fixture
def post_form():
    thread = make_thread(make_board(), make_user("楼主"), body="[password]right[/password]正文")
    return f"/p/{thread.post_set.get(floor=1).pk}/password/"


@pytest.fixture
def board_form():
    board = make_board("密码版")
    set_board_password(board, "right")
    return f"/f/{board.pk}/password/"


@pytest.mark.parametrize("form", ["post_form", "board_form"])
def test_five_wrong_passwords_then_every_try_is_refused(client, form, request):
    url = request.getfixturevalue(form)
    client.force_login(make_user("猜密码的人"))
    for _ in range(5):
        wrong = client.post(url, {"password": "nope"})
        assert wrong.status_code == 200 and "密码错误，请重新输入" in wrong.content.decode()
    for guess in ("nope", "right"):
        refused = client.post(url, {"password": guess})
        assert refused.status_code == 429, guess
        assert "密码错误次数过多，请 15 分钟后再试。" in refused.content.decode()
    # another member (another IP for a guest) is not affected
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(url, {"password": "right"}).status_code == 302


def test_guests_are_counted_per_ip_and_the_window_ends(client, post_form, settings):
    settings.LUNTAN_PASSWORD_ATTEMPTS = 2
    for _ in range(2):
        assert client.post(post_form, {"password": "x"}).status_code == 200
    assert client.post(post_form, {"password": "right"}).status_code == 429
    shared.clear()  # the window has passed
    assert client.post(post_form, {"password": "right"}).status_code == 302


def test_english_messages(client, post_form, board_form):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    # the permissions catalogue is loaded at all (luntan.permissions is no installed app)
    wrong = client.post(board_form, {"password": "x"}).content.decode()
    assert "Wrong password, please try again." in wrong
    for _ in range(5):
        client.post(post_form, {"password": "x"})
    page = client.post(post_form, {"password": "x"}).content.decode()
    assert "Too many wrong passwords. Please try again in 15 minutes." in page
