"""小黑屋: the public list of banned members."""

import pytest

from luntan.accounts.models import UserGroup
from luntan.threads.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_ban_list_shows_banned_members_and_nobody_else(client):
    make_user("灌水王", group_id=UserGroup.BANNED_POSTING)
    make_user("广告机", group_id=UserGroup.BANNED_VISITING)
    make_user("好会员")
    page = client.get("/bans/").content.decode()
    assert "灌水王" in page and "禁止发言" in page
    assert "广告机" in page and "禁止访问" in page
    assert "好会员" not in page


def test_empty_ban_list_says_so_and_bad_pages_do_not_fail(client):
    assert "小黑屋里暂时没有人" in client.get("/bans/").content.decode()
    assert client.get("/bans/?page=abc").status_code == 200
    assert client.get("/bans/?page=99999999999999999999").status_code == 200


def test_ban_list_queries_stay_constant(client, django_assert_max_num_queries):
    for i in range(30):
        make_user(f"违规{i}", group_id=UserGroup.BANNED_POSTING)
    client.get("/bans/")
    with django_assert_max_num_queries(4):
        client.get("/bans/")
