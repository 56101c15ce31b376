"""``luntan copy_database``: a SQLite site moves into PostgreSQL with every row, its ids,
working sequences and a count check."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _sqlite_site(tmp_path) -> str:
    """A migrated SQLite site with members, a board, threads and replies."""
    env = {**os.environ, "LUNTAN_HOME": str(tmp_path), "SECRET_KEY": "copy"}
    env.pop("DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "luntan.settings"
    make = (
        "from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user;"
        "b = make_board();"
        "t = [make_thread(board=b, author=make_user()) for _ in range(3)];"
        "[make_reply(t[i % 3], make_user(), f'第{i}楼的回复内容') for i in range(7)]"
    )
    for args in (["migrate", "--noinput"], ["shell", "-c", make]):
        subprocess.run(
            [sys.executable, "-m", "luntan.manage", *args], env=env, check=True, capture_output=True
        )
    return str(tmp_path / "luntan.sqlite3")


def test_a_sqlite_site_is_copied_into_postgresql_with_a_count_check(tmp_path):
    import sqlite3

    from luntan.threads.models import Post, Thread
    from luntan.threads.tests.factories import make_user

    path = _sqlite_site(tmp_path)
    with sqlite3.connect(path) as conn:
        threads = conn.execute("SELECT COUNT(*) FROM threads_thread").fetchone()[0]
        posts = conn.execute("SELECT COUNT(*) FROM threads_post").fetchone()[0]
        first = conn.execute("SELECT id, subject FROM threads_thread ORDER BY id").fetchone()
    assert threads > 0 and posts > threads

    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "luntan.settings",
        "LUNTAN_HOME": str(tmp_path),
        "SECRET_KEY": "copy",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "luntan.manage", "copy_database", path, "--yes"],
        env=env,
        capture_output=True,
        text=True,
    )
    out, err = done.stdout, done.stderr
    assert done.returncode == 0, err
    assert "every table's count equals the source" in out
    assert "row" in err  # the progress bar
    assert Thread.objects.count() == threads
    assert Post.objects.count() == posts
    assert Thread.objects.get(pk=first[0]).subject == first[1]
    # Sequences were moved past the copied ids: new rows get fresh keys.
    make_user("迁移后注册")


def test_copy_database_refuses_a_missing_source(tmp_path):
    with pytest.raises(CommandError, match="No SQLite database"):
        call_command("copy_database", str(tmp_path / "none.sqlite3"), yes=True)
