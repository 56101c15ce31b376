"""An English visitor reads the poll in English; every poll string has its English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luntan.core.tests.test_english import leftover_cjk
from luntan.polls import services
from luntan.polls.models import Poll
from luntan.polls.tests.helpers import make_poll_thread
from luntan.threads.posting import Trust
from luntan.threads.services import PostInput, create_thread
from luntan.threads.tests.factories import make_board, make_user

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_poll_string_is_translated():
    text = PO.read_text(encoding="utf-8")
    empty = re.findall(r'^msgid "(.+)"\nmsgstr ""\n', text, flags=re.M)
    assert empty == []
    assert "#, fuzzy" not in text


def _english_poll():
    board = make_board("News")
    author = make_user("alice")
    return create_thread(
        trust=Trust.MODERATOR,
        board=board,
        author=author,
        subject="Favourite fruit",
        body=PostInput("Which fruit do you like best?", "bbcode"),
        extras={"poll": services.PollSpec(options=("Apple", "Pear"), max_choices=2, days=3)},
    )


def test_the_poll_box_is_english(client):
    thread = _english_poll()
    client.cookies["django_language"] = "en"
    bob = make_user("bob")
    client.force_login(bob)
    html = client.get(f"/t/{thread.pk}/").content.decode()
    box = html[html.index('id="poll"') - 20 : html.index("</ol>", html.index('id="poll"'))]
    assert leftover_cjk(box) == []
    assert "Multiple choice (up to 2 options)" in box
    option = Poll.objects.get(pk=thread.pk).options.first()
    r = client.post(f"/t/{thread.pk}/poll/vote/", {"option": [option.pk]})
    page = client.get(r["Location"]).content.decode()
    assert "Thank you for voting." in page
    assert "You have voted, thank you." in page


def test_the_new_thread_poll_fields_are_english(client):
    board = make_board("News")
    client.cookies["django_language"] = "en"
    client.force_login(make_user("carol"))
    html = client.get(f"/f/{board.pk}/new/").content.decode()
    start = html.index('id="poll-form"')
    part = html[start - 40 : html.index("</details>", start) + 10]
    assert leftover_cjk(part) == []
    assert "Start a poll" in part


def test_an_english_voters_page(client):
    thread = make_poll_thread(public_voters=True)
    services.vote(thread.pk, make_user("dave"), [Poll.objects.get(pk=thread.pk).options.first().pk])
    client.cookies["django_language"] = "en"
    html = client.get(f"/t/{thread.pk}/poll/voters/").content.decode()
    assert "Voters" in html and "dave" in html
