"""The import report (issue 10 item 7): per Discuz! table rows read / imported / skipped
with reasons, the tables not read, printed and written to a file — the same after a
run that was killed half-way and resumed."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from luntan.importers.discuz.threads import PostImporter

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


def _run(db, path, **kwargs) -> str:
    out = StringIO()
    call_command(
        "import_discuz",
        host=db.host,
        port=db.port,
        user="root",
        password="",
        database=db.name,
        report=str(path),
        stdout=out,
        **kwargs,
    )
    return out.getvalue()


def _counts(text: str) -> dict[str, tuple[str, str, str]]:
    """{phase: (read, imported, skipped)} from a report."""
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^(\S.{0,21}?)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s+[\d.]+\s+\S", line)
        if m:
            rows[m.group(1).strip()] = m.group(2, 3, 4)
    return rows


def test_report_printed_and_written_with_unread_tables(synthetic_db, tmp_path):
    path = tmp_path / "report.txt"
    out = _run(synthetic_db, path)
    text = path.read_text(encoding="utf-8")
    assert text in out
    counts = _counts(text)
    (posts,) = synthetic_db.query("SELECT COUNT(*) FROM pre_forum_post")[0]
    assert counts["posts"][0] == str(posts)
    (stubs,) = synthetic_db.query("SELECT COUNT(*) FROM pre_forum_thread WHERE closed > 1")[0]
    assert f"moved-thread stubs (kept as redirects): {stubs}" in text
    # Private messages are imported: their tables are read.
    (pms,) = synthetic_db.query("SELECT COUNT(*) FROM pre_ucenter_pm_lists")[0]
    assert pms > 0
    assert "    ucenter_pm_lists:" not in text and "    ucenter_pm_messages_" not in text
    assert "    ucenter_pm_members:" not in text and "    ucenter_pm_indexes:" not in text
    # Polls are imported: their tables are read.
    assert "    forum_poll:" not in text and "    forum_pollvoter:" not in text
    assert "Discuz! tables not read:" in text
    assert re.search(r"^\s+empty: .*\bforum_debate\b", text, re.M)
    # Read tables are not listed as unread.
    assert "    forum_post:" not in text
    assert "    common_member:" not in text


def test_report_after_a_killed_run_is_the_same(synthetic_db, tmp_path, monkeypatch):
    clean = tmp_path / "clean.txt"
    # A run killed in the posts step: the second page raises.
    real = PostImporter._write
    pages = {"n": 0}

    def dying(self, page):
        pages["n"] += 1
        if pages["n"] == 2:
            raise KeyboardInterrupt
        return real(self, page)

    monkeypatch.setattr(PostImporter, "_write", dying)
    with pytest.raises(KeyboardInterrupt):
        _run(synthetic_db, tmp_path / "killed.txt", batch=500)
    monkeypatch.setattr(PostImporter, "_write", real)
    resumed = tmp_path / "resumed.txt"
    _run(synthetic_db, resumed, batch=500)
    _run(synthetic_db, clean, batch=500)
    a = _counts(resumed.read_text(encoding="utf-8"))
    b = _counts(clean.read_text(encoding="utf-8"))
    assert a == b
    assert int(a["posts"][1]) > 0
