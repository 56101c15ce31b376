"""提醒: who is told about a post, what they are never told, the bell, the page and
标为已读."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from luntan.accounts.groups import GroupId
from luntan.favorites import services as favorites
from luntan.moderation import services as moderation
from luntan.notifications import services
from luntan.notifications.models import Notification
from luntan.threads.models import Post
from luntan.threads.posting import PostingLimits, Trust
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db

NO_LIMITS = PostingLimits()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def kinds(user) -> list[tuple[str, int | None]]:
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("pk")
        .values_list("kind", "post__floor")
    )


def test_reply_tells_the_thread_author_but_not_the_replier_about_themself():
    alice, bob = make_user("alice"), make_user("bob")
    thread = make_thread(make_board(), alice)
    favorites.follow(bob, thread=thread)
    make_reply(thread, bob, "你好")
    make_reply(thread, alice, "楼主自己回复")
    assert kinds(alice) == [("reply", 2)]
    assert kinds(bob) == [("follow", 3)]  # alice's reply; never his own
    note = Notification.objects.get(recipient=alice, post__floor=2)
    assert note.actor_id == bob.pk and note.actor_name == "bob" and note.read_at is None


def test_quote_mention_and_follow_each_give_one_notice_of_the_most_specific_kind():
    alice, bob, carol, dave = (make_user(n) for n in ("alice", "bob", "carol", "dave"))
    thread = make_thread(make_board(), alice)
    favorites.follow(dave, thread=thread)
    favorites.follow(alice, thread=thread)
    first = make_reply(thread, bob, "第一条回复")
    make_reply(thread, carol, "同意 @alice 的看法，也请 @dave 看看", quote=first)
    assert kinds(alice) == [("reply", 2), ("mention", 3)]
    assert kinds(bob) == [("quote", 3)]
    assert kinds(dave) == [("follow", 2), ("mention", 3)]
    assert kinds(carol) == []


def test_mentions_in_a_new_thread_and_in_markdown():
    alice, bob = make_user("alice"), make_user("bob")
    make_thread(make_board(), alice, body="@bob 来看看")
    thread = make_thread(make_board("二版"), alice)
    make_reply(thread, alice, "**注意** @bob", fmt="markdown")
    assert kinds(bob) == [("mention", 1), ("mention", 2)]
    assert kinds(alice) == []


def test_mentions_inside_a_quote_are_not_repeated():
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    thread = make_thread(make_board(), alice)
    first = make_reply(thread, bob, "@carol 你好")
    make_reply(thread, alice, "引用一下", quote=first)
    assert kinds(carol) == [("mention", 2)]


def test_no_notice_about_a_thread_the_recipient_may_not_read():
    alice, bob = make_user("alice"), make_user("bob")
    board = make_board("管理组", view_groups=[GroupId.ADMIN])
    thread = make_thread(board, make_user("admin1", group_id=GroupId.ADMIN))
    make_reply(thread, make_user("admin2", group_id=GroupId.ADMIN), "@alice @bob 看这里")
    assert kinds(alice) == kinds(bob) == []
    hidden = make_thread(make_board("隐藏版", is_hidden=True), alice)
    make_reply(hidden, bob, "回复")
    assert kinds(alice) == []


def test_no_notice_for_a_held_reply_until_it_is_approved(monkeypatch):
    monkeypatch.setattr(
        "luntan.threads.posting.pipeline.new_post_needs_review", lambda *a, **k: True
    )
    alice, bob = make_user("alice"), make_user("bob")
    thread = make_thread(make_board(), alice)
    first = make_reply(thread, alice, "楼主补充")
    held = make_reply(
        thread,
        bob,
        "@alice 求审核这一条回复的内容",
        quote=first,
        trust=Trust.MEMBER,
        limits=NO_LIMITS,
    )
    assert held.state == Post.State.PENDING
    assert kinds(alice) == []
    moderation.approve_post(held, actor=make_user("mod", group_id=GroupId.ADMIN))
    assert kinds(alice) == [("mention", 3)]
    held_op = make_thread(
        make_board("二版"),
        bob,
        body="@alice 这是一个等待审核的新主题",
        trust=Trust.MEMBER,
        limits=NO_LIMITS,
    )
    assert kinds(alice) == [("mention", 3)]
    op = Post.objects.get(thread=held_op, floor=1)
    moderation.approve_post(op, actor=make_user("mod2", group_id=GroupId.ADMIN))
    assert kinds(alice) == [("mention", 3), ("mention", 1)]


def test_quote_author_is_found_again_when_a_held_reply_is_approved(monkeypatch):
    alice, bob = make_user("alice"), make_user("bob")
    thread = make_thread(make_board(), make_user("op"))
    first = make_reply(thread, alice, "原话")
    monkeypatch.setattr(
        "luntan.threads.posting.pipeline.new_post_needs_review", lambda *a, **k: True
    )
    held = make_reply(
        thread, bob, "引用楼上的话并且补充几句", quote=first, trust=Trust.MEMBER, limits=NO_LIMITS
    )
    assert kinds(alice) == []
    moderation.approve_post(held, actor=make_user("mod", group_id=GroupId.ADMIN))
    assert kinds(alice) == [("quote", 3)]


def test_unread_count_is_cached_and_refreshed_by_writes(django_assert_num_queries):
    alice = make_user("alice")
    thread = make_thread(make_board(), alice)
    make_reply(thread, make_user("bob"))
    with django_assert_num_queries(1):
        assert services.unread_count(alice.pk) == 1
    with django_assert_num_queries(0):
        assert services.unread_count(alice.pk) == 1
    make_reply(thread, make_user("carol"))
    assert services.unread_count(alice.pk) == 2
    assert services.mark_read(alice, thread_id=thread.pk + 1000) == 0
    assert services.mark_read(alice, thread_id=thread.pk) == 2
    assert services.unread_count(alice.pk) == 0


def test_bell_shows_the_unread_count_to_members_and_nothing_to_guests(client):
    alice = make_user("alice")
    thread = make_thread(make_board(), alice)
    make_reply(thread, make_user("bob"))
    page = client.get("/").content.decode()
    assert 'class="bell"' not in page
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert 'class="bell" href="/notifications/">提醒<span class="badge"' in page
    assert ">1</span>" in page


def test_member_index_and_thread_pages_cost_no_query_for_the_warm_bell(
    client, django_assert_num_queries
):
    alice = make_user("alice")
    thread = make_thread(make_board(), alice)
    make_reply(thread, make_user("bob"))
    client.force_login(alice)
    client.get("/")
    services.unread_count(alice.pk)
    response = client.get("/")
    cached = int(response["X-Queries"])
    cache.delete(f"notifications:unread:{alice.pk}")
    assert int(client.get("/")["X-Queries"]) == cached + 1  # one COUNT when cold


def test_notifications_page_groups_by_thread_and_marks_read(client, django_assert_num_queries):
    alice, bob = make_user("alice"), make_user("bob")
    one = make_thread(make_board(), alice, subject="第一个主题")
    two = make_thread(make_board("二版"), alice, subject="第二个主题")
    make_reply(one, bob)
    make_reply(two, bob)
    make_reply(one, make_user("carol"))
    client.force_login(alice)
    client.get("/notifications/")
    with django_assert_num_queries(3):  # member, count, the page's notices (bell cached)
        page = client.get("/notifications/").content.decode()
    assert page.index("第一个主题") < page.index("第二个主题")
    assert page.count('class="notice unread"') == 3
    assert "carol" in page and "回复了您的主题" in page
    response = client.post("/notifications/read/", {"thread": one.pk})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 1
    assert client.post("/notifications/read/", {"thread": "x"}).status_code == 400
    client.post("/notifications/read/")
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert client.get("/notifications/read/").status_code == 405


def test_notifications_need_a_member_and_csrf(client):
    assert client.get("/notifications/").status_code == 302
    assert client.post("/notifications/read/").status_code == 302
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user("alice"))
    assert strict.post("/notifications/read/").status_code == 403


def test_a_thread_no_longer_readable_is_listed_without_its_subject(client):
    alice = make_user("alice")
    board = make_board()
    thread = make_thread(board, alice, subject="秘密主题")
    make_reply(thread, make_user("bob"))
    board.is_hidden = True
    board.save()
    client.force_login(alice)
    page = client.get("/notifications/").content.decode()
    assert "秘密主题" not in page and "该主题已不可见" in page
