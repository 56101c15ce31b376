"""An English member reads the favourite pages in English; every string is translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luntan.core.tests.test_english import leftover_cjk
from luntan.favorites import services
from luntan.threads.tests.factories import make_board, make_category, make_thread, make_user

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_favourites_string_is_translated():
    text = PO.read_text(encoding="utf-8")
    assert re.findall(r'^msgid "(.+)"\nmsgstr ""\n', text, flags=re.M) == []
    assert "#, fuzzy" not in text


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_favourite_pages_are_english(english):
    board = make_board("News", parent=make_category("Local life"))
    thread = make_thread(board, make_user("alice"), subject="Open day", body="Come along.")
    member = make_user("bob")
    services.add_favorite(member, thread=thread)
    services.follow(member, board=board)
    english.force_login(member)
    for url in (
        "/favorites/",
        "/favorites/?tab=boards",
        "/favorites/?tab=follows",
        f"/t/{thread.pk}/favorite/",
        f"/f/{board.pk}/favorite/",
    ):
        html = english.get(url).content.decode()
        main = html[html.index("<main") : html.index("</main>")] if "<main" in html else html
        assert leftover_cjk(main) == [], url
    assert "My favourites" in english.get("/favorites/").content.decode()
    assert "Favourite this board" in english.get(f"/f/{board.pk}/").content.decode()
