"""Progress of ``luntan import_discuz`` (issue 10 item 8): a terminal sees tqdm bars with
rows, rate and ETA; a pipe or a log file gets the plain per-page lines, no bars."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(db, out, tmp_path):
    call_command(
        "import_discuz",
        host=db.host,
        port=db.port,
        user="root",
        password="",
        database=db.name,
        batch=500,
        report=str(tmp_path / "report.txt"),
        stdout=out,
    )
    return out.getvalue()


def test_terminal_gets_bars_with_rate_and_eta(synthetic_db, tmp_path):
    text = _run(synthetic_db, _Terminal(), tmp_path)
    # tqdm's bar: "posts:  36%|███▌      | 1.00k/2.80k [00:00<00:01, 5.1k rows/s]"
    bars = [
        chunk
        for chunk in text.replace("\r", "\n").split("\n")
        if "posts:" in chunk and "|" in chunk
    ]
    assert bars, text[:2000]
    assert any("rows/s" in b and "<" in b and "/" in b for b in bars)
    assert "posts: " in text and " read, " in text  # the closing line of the phase


def test_pipe_gets_plain_lines_only(synthetic_db, tmp_path):
    text = _run(synthetic_db, io.StringIO(), tmp_path)
    assert "\r" not in text and "|" not in text.split("Discuz! import report")[0]
    assert text.count("posts: ") >= 3  # one line per page of 500
