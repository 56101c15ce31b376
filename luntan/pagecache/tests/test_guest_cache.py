"""Guests get the index, board and thread pages from the cache, and never a stale one:
a reply, an edit and a permission change show at once; members never get a cached page;
each guest gets their own CSRF token; a cached thread view still counts."""

from __future__ import annotations

import gzip
import re
import zlib

import pytest
from django.test import Client

from luntan.accounts.models import UserGroup
from luntan.boards.models import Board
from luntan.core.tests.pages import seed_thread
from luntan.pagecache import generation
from luntan.pagecache.cache import HEADER
from luntan.threads.models import Post, Thread
from luntan.threads.posting import EditRequest, PostInput, Trust, edit
from luntan.threads.tests.factories import make_reply, make_user

# Commits must run for the generation to move: transactional tests.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.LUNTAN_PAGE_CACHE_SECONDS = 60


def _get(url: str, **extra):
    return Client(**extra).get(url)


def test_a_guests_second_request_is_served_from_the_cache_without_a_read(
    django_assert_num_queries,
):
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    first = _get(url)
    assert first.status_code == 200 and first[HEADER] == "MISS"
    # The one query is the view count's write (the tests flush the buffer every request).
    with django_assert_num_queries(1) as captured:
        second = _get(url)
    assert captured.captured_queries[0]["sql"].startswith('UPDATE "threads_thread" SET "views"')
    assert second[HEADER] == "HIT"
    assert seed.thread.subject in second.content.decode()
    for page in ("/", f"/f/{seed.thread.board_id}/"):
        assert _get(page)[HEADER] == "MISS"
        # The index's first view may write a new 在线最高记录 (a write: a new generation).
        _get(page)
        assert _get(page)[HEADER] == "HIT"


def test_a_reply_shows_to_guests_at_once():
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    _get(url)
    assert _get(url)[HEADER] == "HIT"
    make_reply(seed.thread, make_user("新来的"), body="缓存之后的新回复内容")
    page = _get(url)
    assert page[HEADER] == "MISS" and "缓存之后的新回复内容" in page.content.decode()
    index = _get("/").content.decode()
    assert "新来的" in index  # the board's last poster on the index


def test_an_edit_shows_to_guests_at_once():
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    _get(url)
    op = Post.objects.get(thread=seed.thread, floor=1)
    edit(
        EditRequest(
            post=op, editor=op.author, body=PostInput("改过以后的楼主正文内容"), trust=Trust.MEMBER
        )
    )
    assert "改过以后的楼主正文内容" in _get(url).content.decode()


def test_a_permission_change_hides_the_board_from_guests_at_once():
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    assert _get(url).status_code == 200 and _get(url)[HEADER] == "HIT"
    Board.objects.filter(pk=seed.thread.board_id).update(view_groups=[UserGroup.ADMIN])
    assert _get(url).status_code in (403, 404)
    assert seed.thread.subject not in _get("/").content.decode()


def test_members_and_guests_with_a_session_are_never_served_from_the_cache():
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    _get(url)
    member = Client()
    member.force_login(make_user("会员甲"))
    page = member.get(url)
    assert HEADER not in page and "会员甲" in page.content.decode()


def test_each_guest_gets_their_own_csrf_token_and_it_works():
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    _get(url)
    guest = Client(enforce_csrf_checks=True)
    page = guest.get(url)
    assert page[HEADER] == "HIT"
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert tokens, "the page has a form with a CSRF token (language switch)"
    assert "luntan-csrf" not in page.content.decode()
    # The token belongs to this guest's own cookie: the language switch accepts it.
    switched = guest.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": tokens[0]})
    assert switched.status_code == 302
    # … and the guest, now with a language cookie, gets the English page (another key).
    assert "Reply" in guest.get(url).content.decode() or "Forum" in guest.get(url).content.decode()


def test_a_gzip_hit_is_the_page_with_this_guests_token_and_footer():
    """A browser's hit (Accept-Encoding: gzip) is compressed by the cache itself: it must
    inflate to the same page, with the guest's working token and a filled footer."""
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    plain = _get(url).content.decode()
    for _ in range(2):  # the second hit reuses the page's parts deflated by the first
        guest = Client(enforce_csrf_checks=True, HTTP_ACCEPT_ENCODING="gzip, deflate")
        page = guest.get(url)
        assert page[HEADER] == "HIT" and page["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in page["Vary"]
        assert int(page["Content-Length"]) == len(page.content)
        html = gzip.decompress(page.content).decode()
        assert zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(page.content).decode() == html
        assert "luntan-csrf" not in html and "luntan:stats" not in html
        assert re.search(r"Processed in [0-9.]+ second\(s\), [0-9]+ queries , Gzip On", html)

        def strip(text: str) -> str:
            text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
            return re.sub(r"Processed in [^<]*", "", text)

        assert strip(html) == strip(plain)
        token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[0]
        switched = guest.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
        assert switched.status_code == 302


def test_a_cached_thread_page_still_counts_the_view(settings):
    settings.LUNTAN_VIEW_FLUSH_SECONDS = 0.0
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    before = Thread.objects.get(pk=seed.thread.pk).views
    _get(url, REMOTE_ADDR="203.0.113.1")
    hit = _get(url, REMOTE_ADDR="203.0.113.2")
    assert hit[HEADER] == "HIT"
    from luntan.threads import view_counts

    view_counts.flush()
    assert Thread.objects.get(pk=seed.thread.pk).views == before + 2


def test_views_flushes_and_sessions_do_not_invalidate_but_content_writes_do():
    assert generation.is_content_write('INSERT INTO "threads_post" ("thread_id") VALUES (%s)')
    assert generation.is_content_write("UPDATE `boards_board` SET `view_groups` = %s")
    assert not generation.is_content_write(
        'UPDATE "threads_thread" SET "views" = ("threads_thread"."views" + %s) WHERE '
        '"threads_thread"."id" = %s'
    )
    assert not generation.is_content_write('UPDATE "django_session" SET "session_data" = %s')
    assert not generation.is_content_write('SELECT * FROM "threads_post"')
