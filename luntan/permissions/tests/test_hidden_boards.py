"""Hidden boards (Discuz! status 0) are seen only by administrators and super moderators."""

import pytest

from luntan import permissions
from luntan.accounts.models import UserGroup
from luntan.boards.models import Board
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import (
    make_board,
    make_category,
    make_reply,
    make_thread,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden():
    board = make_board("版主专区", is_hidden=True)
    thread = make_thread(board, subject="内部讨论：下周值班安排")
    return board, thread


@pytest.fixture
def under_hidden_category():
    category = make_category("测试分区", is_hidden=True)
    board = make_board("测试版块", parent=category)
    return board, make_thread(board, subject="测试主题")


def _login(client, group_id):
    user = make_user(group_id=group_id)
    client.force_login(user)
    return user


@pytest.mark.parametrize("group_id", [None, UserGroup.NEWBIE, UserGroup.MODERATOR])
def test_guests_members_and_board_moderators_get_404(client, hidden, group_id):
    board, thread = hidden
    if group_id:
        _login(client, group_id)
    assert client.get(f"/f/{board.pk}/").status_code == 404
    assert client.get(f"/t/{thread.pk}/").status_code == 404
    assert client.get(f"/t/{thread.pk}/read/").status_code == 404
    page = client.get("/").content.decode()
    assert "版主专区" not in page and "下周值班" not in page


@pytest.mark.parametrize("group_id", [UserGroup.ADMIN, UserGroup.SUPER_MODERATOR])
def test_admins_and_super_moderators_read_hidden_boards(client, hidden, group_id):
    board, thread = hidden
    _login(client, group_id)
    assert client.get(f"/f/{board.pk}/").status_code == 200
    page = client.get(f"/t/{thread.pk}/")
    assert page.status_code == 200 and "下周值班安排" in page.content.decode()


def test_a_board_under_a_hidden_category_is_hidden_too(client, under_hidden_category):
    board, thread = under_hidden_category
    assert client.get(f"/f/{board.pk}/").status_code == 404
    assert client.get(f"/t/{thread.pk}/").status_code == 404


def test_listing_filters_leave_out_hidden_boards_recycled_threads_and_deleted_posts(
    hidden, under_hidden_category
):
    open_thread = make_thread(make_board("公开版块"), subject="公开主题")
    recycled = make_thread(open_thread.board, subject="回收站里的")
    Thread.objects.filter(pk=recycled.pk).update(state=Thread.State.RECYCLED)
    deleted = make_reply(open_thread, body="删掉的")
    Post.objects.filter(pk=deleted.pk).update(state=Post.State.DELETED)
    guest = make_user()
    admin = make_user(group_id=UserGroup.ADMIN)

    boards = permissions.filter_boards_queryset(Board.objects.all(), guest)
    assert set(boards.values_list("name", flat=True)) >= {"公开版块"}
    assert not boards.filter(name__in=["版主专区", "测试版块", "测试分区"]).exists()
    threads = permissions.filter_threads_queryset(Thread.objects.all(), guest)
    assert list(threads.values_list("subject", flat=True)) == ["公开主题"]
    posts = permissions.filter_posts_queryset(Post.objects.all(), guest)
    assert list(posts.values_list("thread__subject", "floor")) == [("公开主题", 1)]
    assert deleted.pk not in posts.values_list("pk", flat=True)
    admin_threads = permissions.filter_threads_queryset(Thread.objects.all(), admin)
    assert admin_threads.count() == 3
