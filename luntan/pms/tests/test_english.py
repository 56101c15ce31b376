"""An English member reads the message pages in English; every string is translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luntan.core.tests.test_english import leftover_cjk
from luntan.pms import services
from luntan.threads.tests.factories import make_user

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_pms_string_is_translated():
    text = PO.read_text(encoding="utf-8")
    assert re.findall(r'^msgid "(.+)"\nmsgstr ""\n', text, flags=re.M) == []
    assert "#, fuzzy" not in text


def test_message_pages_are_english(client):
    client.cookies["django_language"] = "en"
    alice, bob = make_user("alice"), make_user("bob")
    result = services.send_message(alice, "See you at seven", recipients=[bob])
    services.block(bob, make_user("carol"))
    client.force_login(bob)
    for url in (
        "/pm/",
        "/pm/new/",
        "/pm/settings/",
        f"/pm/{result.conversation.pk}/",
        f"/pm/message/{result.message.pk}/report/",
    ):
        html = client.get(url).content.decode()
        main = html[html.index("<main") : html.index("</main>")] if "<main" in html else html
        assert leftover_cjk(main) == [], url
    assert "Inbox" in client.get("/pm/").content.decode()
    page = client.post("/pm/new/", {"to": "nobody", "body": "hi", "fmt": "bbcode"})
    assert "No member is called nobody." in page.content.decode()
