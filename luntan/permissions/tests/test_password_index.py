"""A board locked by a password shows no last-thread subject on the board index."""

import pytest

from luntan.permissions.passwords import set_board_password
from luntan.threads.tests.factories import make_board, make_thread

pytestmark = pytest.mark.django_db


def test_password_board_hides_its_last_subject_until_unlocked(client):
    board = make_board("密码版块")
    make_thread(board, subject="只给知道密码的人看")
    set_board_password(board, "芝麻开门")
    page = client.get("/").content.decode()
    assert "密码版块" in page
    assert "只给知道密码的人看" not in page
    client.post(f"/f/{board.pk}/password/", {"password": "芝麻开门"})
    assert "只给知道密码的人看" in client.get("/").content.decode()
