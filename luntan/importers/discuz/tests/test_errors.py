"""Bad input gives a clear ``CommandError`` (non-zero exit, no traceback) and writes nothing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.core.models import SiteSettings

from .conftest import REPO_ROOT


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _nothing_written() -> bool:
    return not (User.objects.exists() or Board.objects.exists() or SiteSettings.objects.exists())


@pytest.mark.django_db
def test_unreachable_server_is_a_clear_error():
    port = _closed_port()
    with pytest.raises(CommandError) as err:
        call_command("import_discuz", host="127.0.0.1", port=port, database="dz")
    message = str(err.value)
    assert f"Cannot connect to MySQL/MariaDB at 127.0.0.1:{port}" in message
    assert "--host/--port" in message
    assert _nothing_written()


def test_cli_exits_non_zero_without_traceback(tmp_path):
    env = dict(os.environ, LUNTAN_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="luntan.settings")
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "luntan.manage",
            "import_discuz",
            "--port",
            str(_closed_port()),
            "--host",
            "127.0.0.1",
            "--database",
            "dz",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Cannot connect" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_missing_database_name_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("MYSQL_DATABASE", raising=False)
    with pytest.raises(CommandError, match="--database"):
        call_command("import_discuz", database=None)


@pytest.mark.django_db
def test_invalid_prefix_is_rejected_before_connecting():
    with pytest.raises(CommandError, match="Invalid table prefix"):
        call_command(
            "import_discuz",
            host="127.0.0.1",
            port=_closed_port(),
            database="dz",
            prefix="pre_`; DROP",
        )


@pytest.mark.mariadb
@pytest.mark.django_db
def test_database_without_discuz_tables_is_a_clear_error(empty_db):
    with pytest.raises(CommandError) as err:
        call_command(
            "import_discuz", host=empty_db.host, port=empty_db.port, database=empty_db.name
        )
    message = str(err.value)
    assert "is not a Discuz! X database" in message
    assert "pre_forum_thread" in message and "--database" in message
    assert _nothing_written()


@pytest.mark.mariadb
@pytest.mark.django_db
def test_wrong_prefix_names_the_right_one(seed_db):
    with pytest.raises(CommandError) as err:
        call_command(
            "import_discuz",
            host=seed_db.host,
            port=seed_db.port,
            database=seed_db.name,
            prefix="cdb_",
        )
    assert "--prefix pre_" in str(err.value)
    assert _nothing_written()


@pytest.mark.mariadb
@pytest.mark.django_db
def test_unknown_database_and_wrong_credentials(seed_db):
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "import_discuz", host=seed_db.host, port=seed_db.port, database=seed_db.name + "_no"
        )
    with pytest.raises(CommandError, match="refused user 'lt_no_such_user'"):
        call_command(
            "import_discuz",
            host=seed_db.host,
            port=seed_db.port,
            database=seed_db.name,
            user="lt_no_such_user",
            password="x",
        )
    assert _nothing_written()


@pytest.mark.mariadb
@pytest.mark.django_db
def test_local_account_with_a_members_name_stops_the_import(seed_db):
    User.objects.create_user("王者典范", password="local-password-1")
    with pytest.raises(CommandError, match="王者典范"):
        call_command("import_discuz", host=seed_db.host, port=seed_db.port, database=seed_db.name)
    assert User.objects.count() == 1 and not Board.objects.exists()
