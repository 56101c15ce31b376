"""An English member reads the notifications page and the bell in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luntan.core.tests.test_english import leftover_cjk
from luntan.threads.tests.factories import (
    make_board,
    make_category,
    make_reply,
    make_thread,
    make_user,
)

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_notifications_string_is_translated():
    text = PO.read_text(encoding="utf-8")
    assert re.findall(r'^msgid "(.+)"\nmsgstr ""\n', text, flags=re.M) == []
    assert re.findall(r'^msgstr\[[0-9]\] ""\n', text, flags=re.M) == []
    assert "#, fuzzy" not in text


def test_notifications_page_is_english(client):
    client.cookies["django_language"] = "en"
    alice = make_user("alice")
    thread = make_thread(
        make_board("News", parent=make_category("Local")), alice, subject="Open day", body="Hi"
    )
    make_reply(thread, make_user("bob"), "Me too, @alice")
    client.force_login(alice)
    page = client.get("/notifications/").content.decode()
    assert "Notifications" in page and "mentioned you" in page and "1 unread" in page
    assert "Mark all as read" in page
    main = page[page.index("<main") : page.index("</main>")]
    assert leftover_cjk(main) == []  # the header's site name is content, not a string
    header = page[: page.index("<main")]
    assert 'class="bell" href="/notifications/">Notifications<span class="badge"' in header
