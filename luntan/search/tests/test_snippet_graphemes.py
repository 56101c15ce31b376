"""Search snippets are cut between grapheme clusters (issue 9, item 10)."""

from luntan.search.highlight import SNIPPET_CHARS, snippet

FAMILY = "👨\u200d👩\u200d👧"


def test_a_snippet_end_never_splits_an_emoji_sequence():
    text = "字" * (SNIPPET_CHARS - 1) + FAMILY + "尾" * 50
    html = str(snippet(text, ()))
    assert "👨…" not in html and "\u200d…" not in html
    assert html.endswith(("字…", FAMILY + "…"))


def test_a_snippet_start_never_splits_an_emoji_sequence():
    text = "甲" * 100 + FAMILY * 20 + "乙" * 31 + "目标" + "丙" * 200
    html = str(snippet(text, ("目标",)))
    body = html.removeprefix("…")
    assert not body.startswith(("\u200d", "👩", "👧"))
