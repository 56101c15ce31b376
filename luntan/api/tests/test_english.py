"""Every string of the API has its English translation, and problems speak English to
an English client."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1]
_CALL = re.compile(r"""\b(?:_|gettext_noop)\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]""")


def _po_entries(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        ids = re.search(
            r'msgid ((?:"(?:[^"\\]|\\.)*"\n?)+)msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', block
        )
        if ids:
            msgid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', ids[1]))
            msgstr = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', ids[2]))
            entries[msgid] = msgstr
    return entries


def test_every_api_string_has_an_english_translation():
    entries = _po_entries(APP / "locale" / "en" / "LC_MESSAGES" / "django.po")
    missing = []
    for path in APP.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for msgid in _CALL.findall(path.read_text(encoding="utf-8")):
            if not entries.get(msgid):
                missing.append(f"{path.name}: {msgid}")
    assert missing == []


@pytest.mark.django_db
def test_problems_speak_english_to_an_english_client(client):
    client.cookies["django_language"] = "en"
    body = client.get("/api/v1/threads/987654").json()
    assert body["detail"] == "What you are looking for does not exist."
