"""The index's 今日 / 帖子 totals count only boards the viewer can see: a staff-only
board's activity is not revealed to guests and members; administrators see all of it."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from luntan.accounts.models import UserGroup
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def _totals(client) -> tuple[int, int]:
    html = client.get("/").content.decode()
    today = re.search(r'<em class="st-today">(\d+)</em>', html)
    posts = re.search(r'<em class="st-posts">(\d+)</em>', html)
    return int(today.group(1)), int(posts.group(1))


def test_staff_only_boards_are_left_out_of_the_totals_a_guest_sees(client):
    cache.clear()
    public = make_board("公开版")
    staff = make_board("管理版", view_groups=[1, 2, 3])
    make_reply(make_thread(public))  # 2 posts today
    staff_thread = make_thread(staff)
    for _ in range(4):
        make_reply(staff_thread)  # 5 posts today
    assert _totals(client) == (2, 2)
    client.force_login(make_user("会员", group_id=11))
    assert _totals(client) == (2, 2)
    client.force_login(make_user("站长", group_id=UserGroup.ADMIN))
    assert _totals(client) == (7, 7)
