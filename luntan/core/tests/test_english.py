"""An English visitor (footer language switch) sees the forum's chrome in English.

The data is built through the posting services with English names, subjects and bodies,
so any Chinese left on these pages is untranslated interface text.
"""

from __future__ import annotations

import re

import pytest

from luntan.accounts.models import UserGroup
from luntan.core.tests.pages import configure_site
from luntan.threads.tests.factories import (
    make_board,
    make_category,
    make_reply,
    make_thread,
    make_user,
)

pytestmark = pytest.mark.django_db

# CJK ideographs, CJK punctuation (【】（）：…) and full-width forms.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
# The language switch names Chinese in Chinese, as language switches do.
ALLOWED = {"简体中文"}


def visible_text(html: str) -> str:
    """The page's text plus the attribute values a visitor reads (titles, labels…)."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    attrs = re.findall(
        r'\s(?:title|alt|placeholder|aria-label|data-copied|data-prompt|value)="([^"]*)"', html
    )
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(" ".join([text, *attrs]).split())


def leftover_cjk(html: str) -> list[str]:
    return [s for s in CJK.findall(visible_text(html)) if s not in ALLOWED]


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def forum(db):
    """A forum whose content is all English: site, category, board, members, 5 floors."""
    configure_site(site_name="Test Forum", icp_number="", police_filing="")
    # Usergroup names are site data (Discuz!'s defaults are Chinese); name ours in English.
    UserGroup.objects.filter(pk=10).update(name="Newbie")
    board = make_board("News", parent=make_category("Local life"))
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    thread = make_thread(
        board, alice, subject="Open day at the library", body="The library opens its doors."
    )
    make_reply(thread, bob, "Sounds great, see you there.")
    make_reply(thread, alice, "Thanks, everyone is welcome.")
    make_reply(thread, carol, "I will bring the kids.")
    make_reply(thread, bob, "Count me in as well.")
    thread.refresh_from_db()
    return thread


def get_english(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert leftover_cjk(html) == [], url
    return visible_text(html)


def test_index_is_english(english, forum):
    text = get_english(english, "/")
    for words in ("Log in", "Sign up", "Today:", "Members:", "Threads / Posts", "Ban list"):
        assert words in text
    assert "Powered by luntan" in text


def test_board_page_is_english(english, forum):
    text = get_english(english, forum.board.get_absolute_url())
    for words in ("Home", "Threads:", "Posts:", "Author", "Replies/Views", "Last post"):
        assert words in text


def test_thread_page_is_english(english, forum):
    text = get_english(english, forum.get_absolute_url())
    for words in (
        "Views:",
        "Replies:",
        "OP",
        "2nd",
        "3rd",
        "4th",
        "Posted just now",
        "Only this author",
        "Newest first",
        "Reading mode",
        "Copy link",
        "Back to list",
        "Go to floor",
        "You need to log in before you can reply",
        "Log in",
        "Back to top",
        "Powered by luntan",
    ):
        assert words in text, words
    assert "5#" in text  # Discuz!'s floor numbers past the 4th


def test_member_thread_page_is_english(english, forum):
    english.force_login(forum.author)
    text = get_english(english, forum.get_absolute_url())
    for words in ("Log out", "Reply", "Quote", "Edit", "Quick reply", "Post reply", "Preview"):
        assert words in text, words


def test_search_page_is_english(english, forum):
    text = get_english(english, "/search/?q=x")
    for words in ("Search", "Search members", "Full text", "Titles only", "All forums"):
        assert words in text


def test_ban_list_is_english(english, forum):
    text = get_english(english, "/bans/")
    assert "Ban list" in text


def test_login_page_is_english(english, forum):
    text = get_english(english, "/accounts/login/")
    assert "Log in" in text and "Password" in text


def test_chinese_stays_the_default(client, forum):
    response = client.get(forum.get_absolute_url())
    assert response["Content-Language"] == "zh-hans"
    assert "楼主" in response.content.decode()
