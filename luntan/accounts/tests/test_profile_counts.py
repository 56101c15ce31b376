"""Profile post and thread counts show only what the viewer may see: posts in a
staff-only board are not counted for a member or a guest (they would reveal that board's
activity); administrators see the whole count."""

from __future__ import annotations

import re

import pytest

from luntan.accounts.models import UserGroup
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def _counts(client, member) -> tuple[int, int]:
    html = client.get(f"/u/{member.pk}/").content.decode()
    threads = re.search(r'<dd class="threads">(\d+)</dd>', html)
    posts = re.search(r'<dd class="posts">(\d+)</dd>', html)
    assert threads and posts, html[-2000:]
    return int(threads.group(1)), int(posts.group(1))


@pytest.fixture
def author():
    author = make_user("写手", group_id=UserGroup.SUPER_MODERATOR)
    public = make_board("公开版")
    staff = make_board("管理版", view_groups=[1, 2, 3])
    staff_hidden = make_board("隐藏版", is_hidden=True)
    t = make_thread(public, author=author)
    make_reply(t, author=author)
    for board in (staff, staff_hidden):
        s = make_thread(board, author=author)
        make_reply(s, author=author)
        make_reply(s, author=author)
    author.refresh_from_db()
    assert (author.threads, author.posts) == (3, 8)
    return author


def test_guests_and_members_count_only_visible_boards(client, author):
    assert _counts(client, author) == (1, 2)
    client.force_login(make_user("路人", group_id=11))
    assert _counts(client, author) == (1, 2)


def test_administrators_see_the_whole_count(client, author):
    client.force_login(make_user("站长", group_id=UserGroup.ADMIN))
    assert _counts(client, author) == (3, 8)


def test_the_profile_of_a_poster_costs_five_queries_when_no_board_is_hidden(
    client, django_assert_num_queries
):
    author = make_user("常客")
    make_reply(make_thread(make_board("公开版"), author=author), author=author)
    client.get(f"/u/{author.pk}/")  # warm the group rights
    # the member (with group, credits, profile fields), the boards, the recent threads,
    # their digest count, the recent replies
    with django_assert_num_queries(5):
        assert client.get(f"/u/{author.pk}/").status_code == 200
