"""新用户发帖审核: the site's new post review setting and the boards' 发帖审核 hold
members' threads and replies in the review queue, through the real posting views
(form and htmx quick reply); nothing is counted or indexed until a moderator approves."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from luntan.accounts.models import User, UserGroup
from luntan.core.models import SiteSettings, get_site_settings
from luntan.moderation.tests.helpers import (
    assert_counters_rebuildable,
    make_moderator,
    snapshot,
)
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db

BODY = "这是一条足够长的内容，超过十个字，关于灯笼节。"
HX = {"HTTP_HX_REQUEST": "true"}
NOTICE = "您的帖子需要审核，审核通过后才会显示"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def set_review(mode: str) -> None:
    site = get_site_settings()
    site.new_post_review = mode
    site.flood_seconds = 0
    site.save()


def client_for(user) -> Client:
    """A client logged in as ``user``, who keeps their group (logging in awards the daily
    credit, which would put a member with no credits back into 新手上路)."""
    client = Client()
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(group_id=user.group_id)
    return client


def token(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="token"[^>]*value="([^"]+)"', html).group(1)


def post_thread(client: Client, board, subject: str = "新人报到"):
    url = f"/f/{board.pk}/new/"
    data = {"subject": subject, "body": BODY, "format": "bbcode", "token": token(client, url)}
    return client.post(url, data)


def quick_reply(client: Client, thread, body: str = BODY):
    data = {"body": body, "format": "bbcode", "token": token(client, f"/t/{thread.pk}/")}
    return client.post(f"/t/{thread.pk}/reply/", data, **HX)


def searched(client: Client, words: str) -> str:
    return client.get("/search/", {"q": words, "order": "time"}).content.decode()


def test_default_is_off_and_newbies_post_at_once():
    assert get_site_settings().new_post_review == SiteSettings.NewPostReview.OFF
    board = make_board()
    response = post_thread(client_for(make_user()), board)
    assert response.status_code == 302
    assert Thread.objects.get().state == Thread.State.NORMAL


def test_newbie_thread_and_htmx_reply_wait_then_approval_counts_and_indexes(
    settings, django_capture_on_commit_callbacks
):
    settings.LUNTAN_SEARCH_INTERVAL = 0
    set_review(SiteSettings.NewPostReview.NEWBIES)
    board = make_board()
    mod = make_moderator(board)
    with django_capture_on_commit_callbacks(execute=True):
        visible = make_thread(board, subject="老帖子", body="老会员的正文内容。")
    newbie = make_user()  # 新手上路 (group 10)
    assert newbie.group_id == UserGroup.NEWBIE
    before = snapshot()
    c = client_for(newbie)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_thread(c, board, "灯笼节新人帖")
    assert response.status_code == 200 and NOTICE in response.content.decode()
    pending = Thread.objects.get(subject="灯笼节新人帖")
    assert pending.state == Thread.State.PENDING
    assert pending.post_set.get().state == Post.State.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = quick_reply(c, visible, "新人回复灯笼节，内容足够长。")
    html = response.content.decode()
    assert response.status_code == 200 and NOTICE in html and "pending-review" in html
    held = Post.objects.get(thread=visible, floor=2)
    assert held.state == Post.State.PENDING
    after = snapshot()
    assert after["boards"] == before["boards"] and after["members"] == before["members"]
    assert [row[1] for row in after["threads"]] == [0, 0]  # no replies counted
    assert_counters_rebuildable()
    found = searched(Client(), "灯笼")
    assert f'href="/p/{held.pk}/"' not in found and "灯笼节新人帖" not in found
    queue = client_for(mod).get("/mod/queue/").content.decode()
    assert "灯笼节新人帖" in queue and "新人回复灯笼节" in queue
    assert "新人回复灯笼节" not in Client().get(f"/t/{visible.pk}/").content.decode()

    mc = client_for(mod)
    op = pending.post_set.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert mc.post(f"/mod/p/{op.pk}/approve/").status_code == 302
        assert mc.post(f"/mod/p/{held.pk}/approve/").status_code == 302
    assert Thread.objects.get(pk=pending.pk).state == Thread.State.NORMAL
    assert Post.objects.get(pk=held.pk).state == Post.State.VISIBLE
    assert_counters_rebuildable()
    board.refresh_from_db()
    newbie.refresh_from_db()
    assert board.threads == 2 and board.posts == 3
    assert newbie.posts == 2 and newbie.threads == 1
    assert "找到 2 个相关帖子" in searched(Client(), "灯笼")


def test_newbie_setting_leaves_other_members_and_moderators_alone():
    set_review(SiteSettings.NewPostReview.NEWBIES)
    board = make_board()
    thread = make_thread(board)
    senior = make_user(group_id=11)  # 注册会员
    mod = make_moderator(board)
    for user in (senior, mod):
        response = quick_reply(client_for(user), thread)
        assert response.status_code < 300 and NOTICE not in response.content.decode()
    assert not Post.objects.filter(state=Post.State.PENDING).exists()
    assert_counters_rebuildable()


def test_everyone_mode_holds_members_but_not_moderators():
    set_review(SiteSettings.NewPostReview.ALL)
    board = make_board()
    thread = make_thread(board)
    senior = make_user(group_id=11)
    mod = make_moderator(board)
    super_mod = make_user(group_id=UserGroup.SUPER_MODERATOR)
    assert NOTICE in quick_reply(client_for(senior), thread).content.decode()
    for user in (mod, super_mod):
        assert NOTICE not in quick_reply(client_for(user), thread).content.decode()
    states = dict(Post.objects.filter(floor__gt=1).values_list("author_id", "state"))
    assert states[senior.pk] == Post.State.PENDING
    assert states[mod.pk] == states[super_mod.pk] == Post.State.VISIBLE
    assert_counters_rebuildable()


def test_board_moderate_new_posts_holds_threads_and_plain_replies():
    set_review(SiteSettings.NewPostReview.OFF)
    board = make_board(moderate_new_posts=True)
    thread = make_thread(board)
    senior = make_user(group_id=12)
    c = client_for(senior)
    assert NOTICE in post_thread(c, board).content.decode()
    response = c.post(
        f"/t/{thread.pk}/reply/",
        {"body": BODY, "format": "bbcode", "token": token(c, f"/t/{thread.pk}/reply/")},
    )
    assert response.status_code == 200 and NOTICE in response.content.decode()
    assert Post.objects.filter(state=Post.State.PENDING).count() == 2
    assert NOTICE not in quick_reply(client_for(make_moderator(board)), thread).content.decode()
    assert_counters_rebuildable()


def test_admins_choose_the_mode_on_the_settings_page():
    admin = make_user(group_id=UserGroup.ADMIN)
    c = client_for(admin)
    html = c.get("/admin-settings/").content.decode()
    assert 'name="new_post_review"' in html and "新手上路及以下用户组的帖子需要审核" in html
    data = {
        "site_name": "论坛",
        "registration_mode": "email",
        "ip_location_level": "city",
        "post_min_length": 10,
        "post_max_length": 10000,
        "flood_seconds": 15,
        "edit_window_seconds": 0,
        "new_post_review": "newbies",
        "time_zone": "",
    }
    assert c.post("/admin-settings/", data).status_code == 302
    cache.clear()
    assert get_site_settings().new_post_review == SiteSettings.NewPostReview.NEWBIES
