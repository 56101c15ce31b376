"""A plain guest's cache hit is answered by ``EarlyGuestPageMiddleware`` before the rest of
the middleware chain, and still gets everything the chain gives a guest: the security
headers, X-Request-ID, the CSRF cookie, the language of the language cookie, the closed
page while the site is closed, the refusal of a banned address, the online count and the
thread's view count; replies, edits and permission changes show at once."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.accounts.models import UserGroup
from luntan.bans.services import ban_ip
from luntan.boards.models import Board
from luntan.core.cache import shared
from luntan.core.middleware import ViewerTimezoneMiddleware
from luntan.core.tests.pages import configure_site, seed_thread
from luntan.online import services as online
from luntan.pagecache import generation
from luntan.pagecache.cache import HEADER
from luntan.threads import view_counts
from luntan.threads.models import Post, Thread
from luntan.threads.posting import EditRequest, PostInput, Trust, edit
from luntan.threads.tests.factories import make_reply, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.LUNTAN_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def late_calls(monkeypatch):
    """How many requests reached ``ViewerTimezoneMiddleware`` (near the chain's end)."""
    calls = []
    original = ViewerTimezoneMiddleware.__call__

    def counted(self, request):
        calls.append(request.path)
        return original(self, request)

    monkeypatch.setattr(ViewerTimezoneMiddleware, "__call__", counted)
    return calls


def _warm(url: str, **extra) -> None:
    first = Client(**extra).get(url)
    assert first.status_code == 200 and first[HEADER] == "MISS"


def _keep_stale_generation(write) -> None:
    """Run ``write`` and put the old generation back, as if the write had not invalidated
    the cache: what is checked then is the early path's own rule, not invalidation."""
    old = generation.current()
    write()
    shared.set(generation.KEY, old, timeout=None)


def test_a_hit_skips_the_chain_and_has_the_headers_the_chain_gives(late_calls, settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = True
    settings.SECURE_REFERRER_POLICY = "same-origin"
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    for encoding in ("", "gzip"):
        miss_client = Client(HTTP_ACCEPT_ENCODING=encoding)
        generation.bump()
        miss = miss_client.get(url)
        assert miss[HEADER] == "MISS"
        late_calls.clear()
        hit = Client(HTTP_ACCEPT_ENCODING=encoding, HTTP_X_REQUEST_ID="req-early-1").get(url)
        assert hit[HEADER] == "HIT" and late_calls == []
        assert hit["X-Request-ID"] == "req-early-1"
        for name in (
            "Content-Type",
            "Content-Language",
            "Vary",
            "X-Frame-Options",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
        ):
            assert hit.get(name) == miss.get(name), name
        assert set(hit.headers) - {HEADER} == set(miss.headers) - {HEADER}
        # A guest without a CSRF cookie gets one, and the page's token belongs to it.
        assert "csrftoken" in hit.cookies and "luntan-csrf" not in str(hit.content)
        assert int(hit["Content-Length"]) == len(hit.content)


def test_a_hit_speaks_the_language_of_the_cookie_not_of_the_browser(late_calls):
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    _warm(url)
    english = Client()
    english.cookies["django_language"] = "en"
    _warm(url, HTTP_COOKIE="django_language=en")
    late_calls.clear()
    zh = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get(url)
    en = english.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert zh[HEADER] == en[HEADER] == "HIT" and late_calls == []
    assert zh["Content-Language"] == "zh-hans" and en["Content-Language"] == "en"
    assert '<html lang="zh-Hans">' in zh.content.decode()
    assert '<html lang="en">' in en.content.decode()


def test_a_closed_site_is_closed_to_guests_even_with_the_page_cached(late_calls):
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    _warm(url)
    _keep_stale_generation(lambda: configure_site(site_closed=True, closed_message="维护中"))
    page = Client().get(url)
    assert page.status_code == 503 and "维护中" in page.content.decode()
    assert HEADER not in page


def test_a_banned_address_gets_no_cached_page_when_bans_block_visiting(settings):
    settings.LUNTAN_IP_BANS_BLOCK_VISITING = True
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    _warm(url, REMOTE_ADDR="198.51.100.7")
    _keep_stale_generation(lambda: ban_ip("198.51.100.7"))
    banned = Client(REMOTE_ADDR="198.51.100.7").get(url)
    assert banned.status_code == 403 and HEADER not in banned
    assert Client(REMOTE_ADDR="198.51.100.8").get(url)[HEADER] == "HIT"
    # Without the setting a banned address may read (it may not write), as before.
    settings.LUNTAN_IP_BANS_BLOCK_VISITING = False
    assert Client(REMOTE_ADDR="198.51.100.7").get(url)[HEADER] == "HIT"


def test_early_hits_count_views_and_online_guests(settings, late_calls):
    settings.LUNTAN_VIEW_FLUSH_SECONDS = 0.0
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    before = Thread.objects.get(pk=seed.thread.pk).views
    _warm(url, REMOTE_ADDR="203.0.113.1")
    late_calls.clear()
    for address in ("203.0.113.2", "203.0.113.3"):
        assert Client(REMOTE_ADDR=address).get(url)[HEADER] == "HIT"
    assert late_calls == []
    view_counts.flush()
    assert Thread.objects.get(pk=seed.thread.pk).views == before + 3
    # Each guest is counted online (the index's 在线 line): the warming one and two hits.
    assert online.online_now().guests == 3


def test_reply_edit_and_permission_change_show_at_once_on_the_early_path(late_calls):
    seed = seed_thread()
    url = f"/t/{seed.thread.pk}/"
    _warm(url)
    assert Client().get(url)[HEADER] == "HIT"
    make_reply(seed.thread, make_user("早到的"), body="早路径之后的新回复")
    page = Client().get(url)
    assert page[HEADER] == "MISS" and "早路径之后的新回复" in page.content.decode()
    assert Client().get(url)[HEADER] == "HIT"
    op = Post.objects.get(thread=seed.thread, floor=1)
    edit(
        EditRequest(
            post=op, editor=op.author, body=PostInput("早路径改过的正文"), trust=Trust.MEMBER
        )
    )
    assert "早路径改过的正文" in Client().get(url).content.decode()
    assert Client().get(url)[HEADER] == "HIT"
    Board.objects.filter(pk=seed.thread.board_id).update(view_groups=[UserGroup.ADMIN])
    assert Client().get(url).status_code in (403, 404)
