"""Boards restricted to some usergroups (Discuz! viewperm), the Archiver and permalinks."""

import pytest

from luntan.accounts.models import UserGroup
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db

STAFF_ONLY = [UserGroup.ADMIN, UserGroup.SUPER_MODERATOR, UserGroup.MODERATOR]


@pytest.fixture
def staff_board():
    board = make_board("版主专区", view_groups=STAFF_ONLY)
    thread = make_thread(board, subject="本周值班表")
    return board, thread, make_reply(thread, body="我周三值班")


def _urls(board, thread, post):
    return [
        f"/f/{board.pk}/",
        f"/t/{thread.pk}/",
        f"/t/{thread.pk}/read/",
        f"/p/{post.pk}/",
        f"/archiver/f/{board.pk}/",
        f"/archiver/t/{thread.pk}/",
    ]


@pytest.mark.parametrize("group_id", [None, UserGroup.NEWBIE, 15])
def test_groups_not_listed_get_404_everywhere_and_the_index_hides_the_board(
    client, staff_board, group_id
):
    if group_id:
        client.force_login(make_user(group_id=group_id))
    for url in _urls(*staff_board):
        assert client.get(url).status_code == 404, url
    for url in ("/", "/archiver/"):
        assert "版主专区" not in client.get(url).content.decode()


@pytest.mark.parametrize("group_id", STAFF_ONLY)
def test_listed_groups_read_the_board(client, staff_board, group_id):
    client.force_login(make_user(group_id=group_id))
    for url in _urls(*staff_board):
        assert client.get(url).status_code in (200, 302), url
    assert "版主专区" in client.get("/").content.decode()


def test_members_only_sub_board_is_closed_to_guests_but_open_to_members(client):
    parent = make_board("摄影天地")
    sub = make_board("会员作品", parent=parent.parent, view_groups=list(range(10, 16)))
    sub.parent = parent
    sub.kind = "sub"
    sub.save()
    thread = make_thread(sub, subject="会员的作品")
    assert client.get(f"/t/{thread.pk}/").status_code == 404
    client.force_login(make_user(group_id=11))
    assert client.get(f"/t/{thread.pk}/").status_code == 200


def test_hidden_board_content_stays_out_of_the_archiver(client):
    board = make_board("测试版块", is_hidden=True)
    thread = make_thread(board, subject="测试主题不可见")
    assert client.get(f"/archiver/t/{thread.pk}/").status_code == 404
    assert client.get(f"/archiver/f/{board.pk}/").status_code == 404
    assert "测试版块" not in client.get("/archiver/").content.decode()
