"""More Discuz! links old sites are full of: member spaces, last post, categories, filters."""

import pytest

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.core.tests.pages import seed_thread
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    settings.LUNTAN_POSTS_PER_PAGE = 2
    s = seed_thread()
    Thread.objects.filter(pk=s.thread.pk).update(discuz_tid=5001)
    Board.objects.filter(pk=s.board.pk).update(discuz_fid=36)
    Board.objects.filter(pk=s.board.parent_id).update(discuz_fid=1)
    s.board.thread_types.filter(name="新闻转播").update(discuz_typeid=2)
    User.objects.filter(pk=s.op_author.pk).update(discuz_uid=8)
    make_reply(s.thread)
    return s


def _location(client, path):
    response = client.get(path)
    assert response.status_code == 301, (path, response.status_code)
    return response["Location"]


def test_member_space_links_go_to_the_profile(client, site):
    assert _location(client, "/home.php?mod=space&uid=8") == f"/u/{site.op_author.pk}/"
    assert _location(client, "/space-uid-8.html") == f"/u/{site.op_author.pk}/"
    assert client.get("/home.php?mod=space&uid=9999").status_code == 404
    assert _location(client, "/home.php?mod=spacecp") == "/"


def test_lastpost_goes_to_the_last_page(client, site):
    thread = Thread.objects.get(discuz_tid=5001)
    last = -(-thread.max_floor // 2)
    assert _location(client, "/forum.php?mod=redirect&goto=lastpost&tid=5001") == (
        f"/t/{thread.pk}/?page={last}"
    )


def test_category_and_filters_are_kept(client, site):
    assert _location(client, "/forum.php?gid=1") == f"/f/{site.board.parent_id}/"
    type_pk = site.board.thread_types.get(name="新闻转播").pk
    assert _location(client, "/forum.php?mod=forumdisplay&fid=36&typeid=2") == (
        f"/f/{site.board.pk}/?type={type_pk}"
    )
    assert _location(client, "/forum.php?mod=viewthread&tid=5001&authorid=8") == (
        f"/t/{site.thread.pk}/?author={site.op_author.pk}"
    )


# --- member.php, search.php, forum.php?mod=rss (issue 14, item 4; feeds: issue 11) ----------------------------


def test_member_php_links_go_to_the_account_pages(client, site):
    assert _location(client, "/member.php?mod=logging&action=login") == "/accounts/login/"
    assert _location(client, "/member.php?mod=register") == "/accounts/signup/"
    assert _location(client, "/member.php?mod=lostpasswd") == "/accounts/password/reset/"
    assert _location(client, "/member.php?mod=logging&action=logout&formhash=x") == "/"
    assert _location(client, "/member.php") == "/"


def test_search_php_links_go_to_the_search_page(client, site):
    assert _location(client, "/search.php") == "/search/"
    assert _location(client, "/search.php?mod=forum") == "/search/"
    location = _location(
        client, "/search.php?mod=forum&srchtxt=%E7%A4%BE%E5%8C%BA&srchfid[]=36&searchsubmit=yes"
    )
    assert location == f"/search/?q=%E7%A4%BE%E5%8C%BA&board={site.board.pk}"
    assert _location(client, "/search.php?srchuname=%E7%8E%8B%E4%BA%94") == (
        "/search/?author=%E7%8E%8B%E4%BA%94"
    )
    assert _location(client, "/search.php?mod=user&srchtxt=abc") == "/search/users/?q=abc"
    assert _location(client, "/search.php?srchfid[]=999&srchtxt=a") == "/search/?q=a"
    assert client.get("/search/?q=%E7%A4%BE%E5%8C%BA").status_code == 200


def test_rss_links_go_to_the_board_feed_or_the_site_feed(client, site):
    assert _location(client, "/forum.php?mod=rss&fid=36&auth=0") == f"/f/{site.board.pk}/rss/"
    assert _location(client, "/forum.php?mod=rss") == "/feed/rss/"
    assert _location(client, "/forum.php?mod=rss&fid=abc") == "/feed/rss/"
    assert client.get("/forum.php?mod=rss&fid=999").status_code == 404
