"""Unread tracking through its services and pages (docs/unread.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from luntan.accounts.groups import GroupId
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user
from luntan.unread import services
from luntan.unread.models import ReadMark, ThreadRead

pytestmark = pytest.mark.django_db


def _fresh(thread: Thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


def _unread(user, *threads) -> set[int]:
    return services.unread_thread_ids(user, [_fresh(t) for t in threads])


def test_a_new_thread_is_unread_until_read_and_a_reply_makes_it_unread_again():
    reader, writer = make_user(), make_user()
    thread = make_thread(author=writer)
    make_reply(thread, writer)
    assert _unread(reader, thread) == {thread.pk}
    assert services.record_read(reader, _fresh(thread), _fresh(thread).max_floor)
    assert _unread(reader, thread) == set()
    # the same floor again writes nothing
    assert not services.record_read(reader, _fresh(thread), _fresh(thread).max_floor)
    reply = make_reply(thread, writer, "新的回复")
    assert _unread(reader, thread) == {thread.pk}
    assert services.first_unread_post_id(reader, _fresh(thread)) == reply.pk
    assert _unread(make_user(), thread) == set()  # joined after the last post: read


def test_reading_page_one_of_three_jumps_to_the_first_floor_not_seen(settings):
    settings.LUNTAN_POSTS_PER_PAGE = 5
    reader, writer = make_user(), make_user()
    thread = make_thread(author=writer)
    posts = [make_reply(thread, writer, f"第{n}楼") for n in range(2, 13)]
    services.record_read(reader, _fresh(thread), 5)
    assert services.first_unread_post_id(reader, _fresh(thread)) == posts[4].pk  # floor 6
    row = ThreadRead.objects.get(user=reader, thread=thread)
    assert row.floor == 5


def test_threads_older_than_the_cutoff_are_read_and_pruned(settings):
    settings.LUNTAN_UNREAD_DAYS = 30
    reader = make_user()
    User = type(reader)
    User.objects.filter(pk=reader.pk).update(date_joined=timezone.now() - timedelta(days=400))
    reader.refresh_from_db()
    old, recent = make_thread(subject="旧帖"), make_thread(subject="新帖")
    Thread.objects.filter(pk=old.pk).update(last_post_at=timezone.now() - timedelta(days=31))
    assert _unread(reader, old, recent) == {recent.pk}
    assert not services.record_read(reader, _fresh(old), 1)  # no row for an old thread
    services.record_read(reader, _fresh(recent), 1)
    # the recent thread goes quiet for 40 days: its row is pruned, it stays read
    Thread.objects.filter(pk=recent.pk).update(last_post_at=timezone.now() - timedelta(days=40))
    out = []

    class _Out:
        def write(self, text):
            out.append(text)

    call_command("prune_unread", stdout=_Out())
    assert ThreadRead.objects.count() == 0 and "deleted 1" in "".join(out)
    assert _unread(reader, old, recent) == set()


def test_mark_board_read_and_mark_all_read():
    reader, writer = make_user(), make_user()
    a, b = make_board("甲"), make_board("乙")
    ta, tb = make_thread(a, writer), make_thread(b, writer)
    services.record_read(reader, _fresh(ta), 1)
    make_reply(ta, writer)
    assert _unread(reader, ta, tb) == {ta.pk, tb.pk}
    services.mark_board_read(reader, a.pk)
    assert _unread(reader, ta, tb) == {tb.pk}
    assert not ThreadRead.objects.filter(user=reader, thread=ta).exists()  # watermark says it
    reply = make_reply(ta, writer, "标记之后的回复")
    assert _unread(reader, ta, tb) == {ta.pk, tb.pk}
    assert services.first_unread_post_id(reader, _fresh(ta)) == reply.pk
    services.mark_all_read(reader)
    assert _unread(reader, ta, tb) == set()
    assert ReadMark.objects.filter(user=reader).count() == 1  # one global watermark
    services.mark_all_read(reader)
    assert ReadMark.objects.filter(user=reader).count() == 1


def test_a_held_reply_does_not_make_a_thread_unread():
    reader, writer = make_user(), make_user()
    thread = make_thread(author=writer)
    services.record_read(reader, _fresh(thread), _fresh(thread).max_floor)
    Thread.objects.filter(pk=thread.pk).update(max_floor=thread.max_floor + 1)  # a held floor
    assert _unread(reader, thread) == set()


def test_guests_have_nothing_unread_and_record_nothing(client):
    from django.contrib.auth.models import AnonymousUser

    thread = make_thread()
    assert services.unread_thread_ids(AnonymousUser(), [_fresh(thread)]) == set()
    assert not services.record_read(AnonymousUser(), _fresh(thread), 1)
    client.get(f"/t/{thread.pk}/")
    assert ThreadRead.objects.count() == 0


# --- pages ----------------------------------------------------------------------------


def test_board_page_marks_unread_threads_and_reading_clears_the_marker(client):
    reader, writer = make_user(), make_user()
    board = make_board("灌水")
    thread = make_thread(board, writer, subject="有新回复的主题")
    client.force_login(reader)
    html = client.get(f"/f/{board.pk}/").content.decode()
    assert f'href="/t/{thread.pk}/unread/"' in html and "标记本版已读" in html
    assert client.get(f"/t/{thread.pk}/").status_code == 200
    html = client.get(f"/f/{board.pk}/").content.decode()
    assert f'href="/t/{thread.pk}/unread/"' not in html
    reply = make_reply(thread, writer, "又来一条")
    html = client.get(f"/f/{board.pk}/").content.decode()
    assert f'href="/t/{thread.pk}/unread/"' in html
    r = client.get(f"/t/{thread.pk}/unread/")
    assert r.status_code == 302 and r["Location"] == f"/p/{reply.pk}/"
    r = client.post(f"/f/{board.pk}/mark-read/")
    assert r.status_code == 302 and r["Location"] == f"/f/{board.pk}/"
    assert f'href="/t/{thread.pk}/unread/"' not in client.get(f"/f/{board.pk}/").content.decode()


def test_index_marks_boards_with_unread_posts(client):
    reader, writer = make_user(), make_user()
    board = make_board("数码")
    thread = make_thread(board, writer)
    client.force_login(reader)
    html = client.get("/").content.decode()
    assert f'href="/t/{thread.pk}/unread/"' in html
    client.get(f"/t/{thread.pk}/")
    assert f'href="/t/{thread.pk}/unread/"' not in client.get("/").content.decode()
    client.logout()
    guest = client.get("/").content.decode()
    assert "/unread/" not in guest


def test_mark_read_needs_a_member_and_post(client):
    board = make_board()
    r = client.post(f"/f/{board.pk}/mark-read/")
    assert r.status_code == 302 and "/login/" in r["Location"]
    client.force_login(make_user())
    assert client.get(f"/f/{board.pk}/mark-read/").status_code == 405
    assert client.post("/f/999999/mark-read/").status_code == 404
    r = client.post("/mark-read/", {"next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == "/new/"


def test_recent_page_lists_only_boards_the_viewer_may_see(client):
    writer = make_user()
    open_board = make_board("公开区")
    hidden = make_board("管理区", view_groups=[GroupId.ADMIN])
    make_thread(open_board, writer, subject="大家都能看的主题")
    secret = make_thread(hidden, writer, subject="管理员的秘密主题")
    member = make_user()
    client.force_login(member)
    html = client.get("/new/").content.decode()
    assert "大家都能看的主题" in html and "管理员的秘密主题" not in html
    assert client.get(f"/t/{secret.pk}/unread/").status_code == 404
    assert client.post(f"/f/{hidden.pk}/mark-read/").status_code == 404
    client.logout()
    html = client.get("/new/?view=new").content.decode()
    assert "大家都能看的主题" in html and "管理员的秘密主题" not in html
    admin = make_user(group_id=GroupId.ADMIN)
    client.force_login(admin)
    assert "管理员的秘密主题" in client.get("/new/").content.decode()


def test_recent_page_orders_by_last_reply_or_by_new_threads(client):
    writer = make_user()
    first = make_thread(subject="先发的主题", author=writer)
    make_thread(subject="后发的主题", author=writer)
    make_reply(first, writer)
    html = client.get("/new/").content.decode()
    assert html.index("先发的主题") < html.index("后发的主题")
    html = client.get("/new/?view=new").content.decode()
    assert html.index("后发的主题") < html.index("先发的主题")


def test_only_visible_posts_count_as_the_first_unread():
    reader, writer = make_user(), make_user()
    thread = make_thread(author=writer)
    services.record_read(reader, _fresh(thread), 1)
    deleted = make_reply(thread, writer, "被删")
    Post.objects.filter(pk=deleted.pk).update(state=Post.State.DELETED)
    kept = make_reply(thread, writer, "留下")
    assert services.first_unread_post_id(reader, _fresh(thread)) == kept.pk


def test_a_member_reading_does_not_empty_the_guest_page_cache(
    client, django_capture_on_commit_callbacks
):
    from luntan.pagecache import generation

    thread = make_thread()
    client.force_login(make_user())
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/t/{thread.pk}/")
    assert ThreadRead.objects.count() == 1
    assert generation.current() == before
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mark-read/")
    assert generation.current() == before
