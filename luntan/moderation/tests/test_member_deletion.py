"""Deleting a member (删除用户): keep the content under 已注销用户 or delete it with its
content (counters and last posts recomputed); quotes of the member stay; every page that
shows authors still works with a deleted author; the freed name stays reserved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from luntan.accounts import usernames
from luntan.accounts.models import FreedName, User, UserGroup
from luntan.boards.models import Board
from luntan.moderation.members import PLACEHOLDER, delete_member
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache(settings):
    settings.LUNTAN_SEARCH_INTERVAL = 0
    cache.clear()


@pytest.fixture
def scene():
    admin = make_user("站长", group_id=UserGroup.ADMIN, is_superuser=True, is_staff=True)
    board = make_board()
    leaver = make_user("要走的人")
    other = make_user("留下的人")
    own = make_thread(board, author=leaver, subject="要走的人的主题")
    make_reply(own, author=other, body="回复一下")
    elsewhere = make_thread(board, author=other, subject="别人的主题")
    make_reply(elsewhere, author=other, body="沙发")
    make_reply(elsewhere, author=leaver, body="我的回复最后一个")
    make_reply(
        make_thread(board, author=other, subject="引用主题"),
        author=other,
        body="[quote]要走的人 发表于 2024-1-1 10:00\n原话在这里[/quote]我同意",
    )
    return {"admin": admin, "board": board, "leaver": leaver, "own": own, "elsewhere": elsewhere}


def _pages(client, scene, own_gone: bool = False) -> dict[str, str]:
    board, own, elsewhere = scene["board"], scene["own"], scene["elsewhere"]
    urls = [
        "/",
        f"/f/{board.pk}/",
        *([] if own_gone else [f"/t/{own.pk}/", f"/t/{own.pk}/read/"]),
        f"/t/{elsewhere.pk}/",
        f"/t/{elsewhere.pk}/read/",
        f"/archiver/f/{board.pk}/",
        f"/archiver/t/{elsewhere.pk}/",
        "/search/?q=回复",
        "/mod/recyclebin/",
    ]
    pages = {}
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def test_keeping_the_content_shows_it_under_the_placeholder_everywhere(client, scene):
    result = delete_member(scene["leaver"], actor=scene["admin"])
    assert result.kept and (result.threads, result.posts) == (1, 2)
    assert not User.objects.filter(username="要走的人").exists()
    own = Thread.objects.get(subject="要走的人的主题")
    assert own.author_id is None and own.author_name == PLACEHOLDER
    assert Post.objects.filter(author_name=PLACEHOLDER).count() == 2
    client.force_login(scene["admin"])
    pages = _pages(client, scene)
    assert PLACEHOLDER in pages[f"/t/{scene['own'].pk}/"]
    assert PLACEHOLDER in pages[f"/f/{scene['board'].pk}/"]  # author and last poster
    assert "要走的人" not in pages[f"/f/{scene['board'].pk}/"].replace("要走的人的主题", "")
    quoting = Thread.objects.get(subject="引用主题")
    assert "原话在这里" in client.get(f"/t/{quoting.pk}/").content.decode()  # quotes stay
    _pages(client.__class__(), scene)  # and for a guest


def test_deleting_with_content_recomputes_counters_and_last_posts(client, scene):
    board = scene["board"]
    result = delete_member(scene["leaver"], actor=scene["admin"], with_content=True)
    assert not result.kept and (result.threads, result.posts) == (1, 1)
    own = Thread.objects.get(pk=scene["own"].pk)
    assert own.state != Thread.State.NORMAL
    elsewhere = Thread.objects.get(pk=scene["elsewhere"].pk)
    assert elsewhere.replies == 1 and elsewhere.last_poster_name == "留下的人"
    board.refresh_from_db()
    assert board.threads == Thread.objects.filter(board=board, state=Thread.State.NORMAL).count()
    visible = Post.objects.filter(
        thread__board=board, state=Post.State.VISIBLE, thread__state=Thread.State.NORMAL
    )
    assert board.posts == visible.count()
    assert board.last_poster_name != "要走的人"
    call_command("rebuild_counters", "--check")  # no drift: exits 0
    client.force_login(scene["admin"])
    pages = _pages(client, scene, own_gone=True)
    assert PLACEHOLDER in pages["/mod/recyclebin/"]


def test_the_freed_name_stays_reserved_for_the_configured_time(client, scene, settings):
    settings.LUNTAN_FREED_NAME_DAYS = 30
    result = delete_member(scene["leaver"], actor=scene["admin"])
    assert timedelta(days=29) < result.reserved_until - timezone.now() <= timedelta(days=30)
    assert usernames.is_taken("要走的人")
    FreedName.objects.update(reserved_until=timezone.now() - timedelta(seconds=1))
    assert not usernames.is_taken("要走的人")


def test_administrators_are_not_deleted(scene):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        delete_member(scene["admin"], actor=None)


def test_the_admin_action_and_the_command_delete_members(admin_client, scene):
    leaver = scene["leaver"]
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "delete_keep_content", "_selected_action": [leaver.pk]},
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=leaver.pk).exists()
    other = User.objects.get(username="留下的人")
    call_command("delete_member", other.username, "--with-content")
    assert not User.objects.filter(pk=other.pk).exists()
    assert Board.objects.get(pk=scene["board"].pk).threads == 1  # the first member's, kept


def test_the_admin_delete_button_keeps_the_content_under_the_placeholder(admin_client, scene):
    leaver = scene["leaver"]
    response = admin_client.post(f"/admin/accounts/user/{leaver.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=leaver.pk).exists()
    assert Thread.objects.get(pk=scene["own"].pk).author_name == PLACEHOLDER
    assert usernames.is_taken("要走的人")
