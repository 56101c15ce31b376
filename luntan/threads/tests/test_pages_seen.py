"""Pages are derived from what the viewer can see (issue 9 item 15).

A member does not see deleted floors, a moderator of the board sees them as placeholders,
nobody sees posts awaiting review; floor numbers are permanent, so a split leaves gaps.
Every page is full (but the last), no page is empty, whatever a stored counter says;
``/p/<id>/``, 电梯直达, the pager and the board list's page links use the same rule.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from luntan.accounts.models import UserGroup
from luntan.core.tests.pages import long_thread
from luntan.moderation.posts import delete_post
from luntan.moderation.threads import split_thread
from luntan.threads import counters
from luntan.threads.models import FloorGap, Post, Thread
from luntan.threads.tests.factories import make_user

pytestmark = pytest.mark.django_db

PER_PAGE = 20


def floors_shown(response) -> list[int]:
    ids = [
        int(i)
        for i in re.findall(r'<article class="floor[^"]*" id="pid(\d+)"', response.content.decode())
    ]
    floors = dict(Post.objects.filter(pk__in=ids).values_list("pk", "floor"))
    return [floors[i] for i in ids]


def pages_in_pager(response) -> int:
    """The highest page number the pager links or shows (1 when there is no pager)."""
    html = response.content.decode()
    numbers = [int(n) for n in re.findall(r"[?&]page=(\d+)", html)]
    current = re.findall(r"<strong[^>]*>(\d+)</strong>", html)
    return max([1, *numbers, *(int(n) for n in current)])


@pytest.fixture
def thread41():
    """41 floors, floors 3 and 4 deleted by a moderator."""
    thread = long_thread(41)
    admin = make_user("管理员甲", group_id=UserGroup.ADMIN)
    for floor in (3, 4):
        delete_post(Post.objects.get(thread=thread, floor=floor), actor=admin)
    thread.refresh_from_db()
    return thread


@pytest.fixture
def board_moderator(thread41):
    user = make_user("版主甲", group_id=UserGroup.MODERATOR)
    thread41.board.moderators.add(user)
    return user


def member_client() -> Client:
    c = Client()
    c.force_login(make_user())
    return c


def moderator_client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@override_settings(LUNTAN_POSTS_PER_PAGE=PER_PAGE)
def test_member_sees_two_full_pages_moderator_three_with_placeholders(thread41, board_moderator):
    url = f"/t/{thread41.pk}/"
    for c in (Client(), member_client()):
        first = c.get(url)
        assert floors_shown(first) == [1, 2, *range(5, 23)]
        assert floors_shown(c.get(url + "?page=2")) == list(range(23, 42))
        assert pages_in_pager(first) == 2
        assert c.get(url + "?page=3")["Location"] == url + "?page=2"
    mod = moderator_client(board_moderator)
    first = mod.get(url)
    assert floors_shown(first) == list(range(1, 21))
    assert first.content.decode().count("该帖已被删除") == 2
    assert floors_shown(mod.get(url + "?page=2")) == list(range(21, 41))
    assert floors_shown(mod.get(url + "?page=3")) == [41]
    assert pages_in_pager(first) == 3


@override_settings(LUNTAN_POSTS_PER_PAGE=PER_PAGE)
def test_reverse_order_pages_count_what_the_viewer_sees(thread41, board_moderator):
    url = f"/t/{thread41.pk}/?order=desc"
    c = Client()
    assert floors_shown(c.get(url)) == [1, *range(41, 21, -1)]
    assert floors_shown(c.get(url + "&page=2")) == [*range(21, 4, -1), 2, 1]
    mod = moderator_client(board_moderator)
    assert floors_shown(mod.get(url)) == [1, *range(41, 21, -1)]
    assert floors_shown(mod.get(url + "&page=2")) == list(range(21, 1, -1))
    assert floors_shown(mod.get(url + "&page=3")) == [1]


@override_settings(LUNTAN_POSTS_PER_PAGE=PER_PAGE)
def test_permalink_and_floor_jump_open_the_viewers_page(thread41, board_moderator):
    post22 = Post.objects.get(thread=thread41, floor=22)
    post41 = Post.objects.get(thread=thread41, floor=41)
    deleted = Post.objects.get(thread=thread41, floor=4)
    t = f"/t/{thread41.pk}/"
    member, mod = member_client(), moderator_client(board_moderator)
    assert member.get(f"/p/{post22.pk}/")["Location"] == f"{t}#pid{post22.pk}"
    assert mod.get(f"/p/{post22.pk}/")["Location"] == f"{t}?page=2#pid{post22.pk}"
    assert Client().get(f"/p/{post41.pk}/")["Location"] == f"{t}?page=2#pid{post41.pk}"
    assert mod.get(f"/p/{post41.pk}/")["Location"] == f"{t}?page=3#pid{post41.pk}"
    # a deleted floor: 404 for whoever does not see it (no anchor to land on); a
    # moderator is taken to its placeholder
    assert member.get(f"/p/{deleted.pk}/").status_code == 404
    assert Client().get(f"/p/{deleted.pk}/").status_code == 404
    assert mod.get(f"/p/{deleted.pk}/")["Location"] == f"{t}#pid{deleted.pk}"
    assert f'id="pid{deleted.pk}"' in mod.get(f"{t}").content.decode()
    assert member.get(f"{t}?floor=22")["Location"] == f"{t}#pid{post22.pk}"
    assert mod.get(f"{t}?floor=22")["Location"] == f"{t}?page=2#pid{post22.pk}"
    post5 = Post.objects.get(thread=thread41, floor=5)
    assert member.get(f"{t}?floor=3")["Location"] == f"{t}#pid{post5.pk}"


@override_settings(LUNTAN_POSTS_PER_PAGE=PER_PAGE)
def test_board_list_page_links_follow_the_same_rule(thread41, board_moderator):
    board_url = f"/f/{thread41.board_id}/"
    t = f"/t/{thread41.pk}/"

    def links(c):
        html = c.get(board_url).content.decode()
        return sorted({int(n) for n in re.findall(re.escape(t) + r"\?page=(\d+)", html)})

    assert links(Client()) == [2]
    assert links(member_client()) == [2]
    assert links(moderator_client(board_moderator)) == [2, 3]


@override_settings(LUNTAN_POSTS_PER_PAGE=PER_PAGE)
def test_a_split_leaves_gaps_and_no_empty_page(thread41, board_moderator):
    admin = make_user("管理员乙", group_id=UserGroup.ADMIN)
    moved = Post.objects.filter(thread=thread41, floor__gte=10, floor__lte=30)
    new = split_thread(thread41, moved.values_list("pk", flat=True), actor=admin)
    assert set(FloorGap.objects.filter(thread=thread41).values_list("floor", flat=True)) == set(
        range(10, 31)
    )
    url = f"/t/{thread41.pk}/"
    c = Client()
    first = c.get(url)
    assert floors_shown(first) == [1, 2, *range(5, 10), *range(31, 42)]  # 18: one page
    assert pages_in_pager(first) == 1
    assert c.get(url + "?page=2")["Location"] == url
    mod = moderator_client(board_moderator)
    assert floors_shown(mod.get(url)) == [*range(1, 10), *range(31, 42)]  # 20: one page
    assert mod.get(url + "?page=2")["Location"] == url
    assert floors_shown(c.get(f"/t/{new.pk}/")) == list(range(1, 21))
    assert floors_shown(c.get(f"/t/{new.pk}/?page=2")) == [21]


@override_settings(LUNTAN_POSTS_PER_PAGE=PER_PAGE)
def test_no_empty_page_when_stored_counters_or_gap_rows_drifted(thread41):
    url = f"/t/{thread41.pk}/"
    # a stored counter that drifted far up changes nothing
    Thread.objects.filter(pk=thread41.pk).update(max_floor=500, replies=400)
    c = Client()
    assert pages_in_pager(c.get(url)) == 2
    assert c.get(url + "?page=9")["Location"] == url + "?page=2"
    # floors 10…30 removed by hand: no gap rows say so; pages are still never empty
    Post.objects.filter(thread=thread41, floor__gte=10, floor__lte=30).delete()
    seen = [1, 2, *range(5, 10), *range(31, 42)]
    response = c.get(url + "?page=2", follow=True)
    assert response.redirect_chain and floors_shown(response) == seen
    assert floors_shown(c.get(url)) == seen
    # rebuild_counters records the gaps: the pager is right again
    drift = counters.check_all()
    assert any(d.kind == "thread" and d.field == "floor_gaps" for d in drift)
    counters.rebuild_all()
    assert FloorGap.objects.filter(thread=thread41, floor__lte=41).count() == 21
    assert pages_in_pager(c.get(url)) == 1
    assert not [d for d in counters.check_all() if d.field == "floor_gaps"]


@override_settings(LUNTAN_POSTS_PER_PAGE=PER_PAGE)
def test_pages_with_holes_keep_the_pinned_query_counts(thread41, django_assert_num_queries):
    """As test_pages_thread's pin: a guest's page is thread + posts (+ the view-count
    flush the test settings run on every view), holes or not."""
    from luntan.core.models import get_site_settings

    url = f"/t/{thread41.pk}/"
    c = Client()
    get_site_settings()
    c.get(url)
    for page in ("", "?page=2", "?order=desc", "?order=desc&page=2"):
        with django_assert_num_queries(3):
            assert c.get(url + page).status_code == 200


@pytest.mark.parametrize("per_page", [3, 7, 20])
def test_keyset_pages_equal_the_exact_pages_for_every_layout(per_page, monkeypatch):
    """Every page, both orders, member and moderator: the keyset read (no OFFSET) gives
    exactly the posts an OFFSET over what the viewer sees gives, without falling back."""
    from luntan.threads import queries

    thread = long_thread(60)
    posts = {p.floor: p for p in Post.objects.filter(thread=thread)}
    Post.objects.filter(pk__in=[posts[f].pk for f in (2, 3, 17, 40, 59)]).update(
        state=Post.State.DELETED
    )
    Post.objects.filter(pk__in=[posts[f].pk for f in (5, 41)]).update(state=Post.State.PENDING)
    gone = (9, 10, 11, 12, 30, 60)  # split away: gap rows, as split_thread writes them
    Post.objects.filter(pk__in=[posts[f].pk for f in gone]).delete()
    FloorGap.objects.bulk_create([FloorGap(thread=thread, floor=f) for f in gone])
    exact = queries.posts_exactly
    monkeypatch.setattr(queries, "posts_exactly", lambda *a, **k: pytest.fail("fell back"))
    t = queries.get_visible_thread(thread.pk)
    for moderator in (False, True):
        pages = queries.num_pages(t, per_page, moderator)
        assert pages == -(-queries.count_seen(t, moderator) // per_page)
        for desc in (False, True):
            for page in range(1, pages + 1):
                got = queries.posts_by_floor(t, page, per_page, desc, moderator=moderator)
                want = exact(t, page, per_page, desc, moderator=moderator)
                assert [p.floor for p in got] == [p.floor for p in want], (moderator, desc, page)
