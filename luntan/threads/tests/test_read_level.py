"""阅读权限 (Discuz! ``forum_thread.readperm``): a thread whose read level is above the
viewer's group read access stays in lists, but its page shows only the OP's header and
the message, and its posts are not found by search nor reached by permalink or quote;
authors allowed to set levels choose one on the new thread form, moderators change it."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from luntan.accounts.models import User, UserGroup
from luntan.core.models import get_site_settings
from luntan.moderation.tests.helpers import make_moderator
from luntan.threads.models import PostRevision, Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db

BODY = "这是一条足够长的正文内容，超过十个字。"
DENIED = "本帖阅读权限为 50，您当前的阅读权限不够"


@pytest.fixture(autouse=True)
def _fresh(settings):
    cache.clear()
    settings.LUNTAN_SEARCH_INTERVAL = 0
    site = get_site_settings()
    site.flood_seconds = 0
    site.save()
    yield
    cache.clear()


def client_for(user) -> Client:
    """Logged in as ``user``, keeping their group (the daily login credit regroups)."""
    client = Client()
    if user is not None:
        client.force_login(user)
        User.objects.filter(pk=user.pk).update(group_id=user.group_id)
    return client


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    board = make_board("秘密版")
    author = make_user(group_id=13)  # 高级会员, read access 50
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread(board, author, subject="内部资料汇总", body="绝密口令是紫藤花")
        reply = make_reply(thread, make_user(group_id=13), body="紫藤花回复在此")
    Thread.objects.filter(pk=thread.pk).update(read_level=50)
    return {
        "board": board,
        "thread": thread,
        "reply": reply,
        "author": author,
        "newbie": make_user(),  # 新手上路, read access 10
        "senior": make_user(group_id=13),
        "mod": make_moderator(board),
    }


def test_low_read_access_sees_the_thread_listed_but_only_its_header(world):
    t = world["thread"]
    for viewer in (world["newbie"], None):
        c = client_for(viewer)
        assert "内部资料汇总" in c.get(f"/f/{world['board'].pk}/").content.decode()
        response = c.get(f"/t/{t.pk}/")
        html = response.content.decode()
        assert response.status_code == 403
        assert DENIED in html and "内部资料汇总" in html and t.author_name in html
        assert "紫藤花" not in html


@pytest.mark.parametrize("who", ["senior", "author", "mod"])
def test_enough_access_the_author_and_moderators_read_it(world, who):
    html = client_for(world[who]).get(f"/t/{world['thread'].pk}/").content.decode()
    assert "绝密口令是紫藤花" in html and DENIED not in html


def test_permalink_quote_and_reading_mode_reveal_nothing(world):
    c, t, reply = client_for(world["newbie"]), world["thread"], world["reply"]
    for url in (f"/p/{reply.pk}/", f"/t/{t.pk}/read/", f"/t/{t.pk}/reply/?quote={reply.pk}"):
        response = c.get(url)
        assert response.status_code == 403, url
        assert "紫藤花" not in response.content.decode()
    response = c.post(f"/t/{t.pk}/reply/", {"body": BODY, "format": "bbcode"})
    assert response.status_code == 403


def test_search_leaves_its_posts_out_for_low_read_access(world):
    def found(user) -> str:
        return client_for(user).get("/search/", {"q": "紫藤花"}).content.decode()

    assert f'href="/p/{world["reply"].pk}/"' not in found(world["newbie"])
    assert f'href="/p/{world["reply"].pk}/"' not in found(None)
    for who in ("senior", "author", "mod"):
        assert f'href="/p/{world["reply"].pk}/"' in found(world[who]), who


def test_moderators_set_a_level_on_the_new_thread_form_members_cannot(world):
    board, mod = world["board"], world["mod"]
    c = client_for(mod)
    html = c.get(f"/f/{board.pk}/new/").content.decode()
    options = re.findall(
        r'<option value="(\d+)"', html.split('name="read_level"')[1].split("</select>")[0]
    )
    assert options[0] == "0" and "100" in options and "150" not in options  # ≤ own (100)
    token = re.search(r'name="token"[^>]*value="([^"]+)"', html).group(1)
    data = {
        "subject": "版主的限读帖",
        "body": BODY,
        "format": "bbcode",
        "read_level": "50",
        "token": token,
    }
    assert c.post(f"/f/{board.pk}/new/", data).status_code == 302
    assert Thread.objects.get(subject="版主的限读帖").read_level == 50
    assert (
        c.post(f"/f/{board.pk}/new/", {**data, "token": "x2", "read_level": "200"}).status_code
        == 200
    )

    member = client_for(world["senior"])
    html = member.get(f"/f/{board.pk}/new/").content.decode()
    assert 'name="read_level"' not in html
    token = re.search(r'name="token"[^>]*value="([^"]+)"', html).group(1)
    data = {
        "subject": "会员的帖子",
        "body": BODY,
        "format": "bbcode",
        "read_level": "50",
        "token": token,
    }
    assert member.post(f"/f/{board.pk}/new/", data).status_code == 302
    assert Thread.objects.get(subject="会员的帖子").read_level == 0


def test_moderators_change_the_level_by_editing_the_first_post(world):
    t, c = world["thread"], client_for(world["mod"])
    op = t.post_set.get(floor=1)
    html = c.get(f"/p/{op.pk}/edit/").content.decode()
    assert 'name="read_level"' in html and '<option value="50" selected>' in html
    data = {"subject": t.subject, "body": op.source, "format": "bbcode", "read_level": "0"}
    assert c.post(f"/p/{op.pk}/edit/", data).status_code == 302
    assert Thread.objects.get(pk=t.pk).read_level == 0
    assert not PostRevision.objects.filter(post=op).exists()  # a level change alone
    html = client_for(world["newbie"]).get(f"/t/{t.pk}/").content.decode()
    assert "绝密口令是紫藤花" in html


def test_group_right_is_what_counts():
    assert UserGroup.objects.get(pk=10).read_access == 10
