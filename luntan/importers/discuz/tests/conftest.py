"""Fixtures for the Discuz! importer tests: throwaway MariaDB databases built with the
shared ``load.sh`` (and ``generate.py``), dropped afterwards.

The shared fixtures are read from ``../shared/discuz/`` beside the repository root, or
from ``$LUNTAN_SHARED_DIR/discuz/``. The server comes from ``LUNTAN_TEST_MYSQL_HOST`` /
``LUNTAN_TEST_MYSQL_PORT`` (user ``root``, no password); without it the ``mariadb`` tests
skip, or fail when ``LUNTAN_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pymysql
import pytest

from luntan.importers.discuz.source import ConnectionOptions, connect

REPO_ROOT = Path(__file__).resolve().parents[4]
SHARED = Path(os.environ.get("LUNTAN_SHARED_DIR") or REPO_ROOT.parent / "shared")
DISCUZ = SHARED / "discuz"


def _unavailable(reason: str):
    if os.environ.get("LUNTAN_REQUIRE_SERVICES") == "1":
        pytest.fail(f"mariadb is required in CI: {reason}")
    pytest.skip(reason)


def server() -> tuple[str, int]:
    """The test server's (host, port); skips or fails the test when it is unusable."""
    host = os.environ.get("LUNTAN_TEST_MYSQL_HOST")
    port = int(os.environ.get("LUNTAN_TEST_MYSQL_PORT", "3306"))
    if not host:
        _unavailable("LUNTAN_TEST_MYSQL_HOST is not set (e.g. 127.0.0.1)")
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError as exc:
        _unavailable(f"MariaDB/MySQL at {host}:{port} is not reachable: {exc}")
    if not (shutil.which("mariadb") or shutil.which("mysql")):
        _unavailable("load.sh needs the mariadb (or mysql) client: apt-get install mariadb-client")
    if not (DISCUZ / "load.sh").exists():
        _unavailable(f"shared Discuz! fixtures not found at {DISCUZ} (set LUNTAN_SHARED_DIR)")
    return host, port


class DiscuzDatabase:
    """A throwaway Discuz! database ``name`` on the test server."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.name = f"lt_test_{secrets.token_hex(6)}"

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ, MYSQL_HOST=self.host, MYSQL_PORT=str(self.port))
        env.pop("MYSQL_UNIX_PORT", None)
        return env

    def load(self, *datafiles: Path) -> None:
        """``load.sh`` the schema (and ``datafiles``) into this database."""
        subprocess.run(
            ["bash", str(DISCUZ / "load.sh"), self.name, *map(str, datafiles)],
            env=self.env,
            check=True,
            capture_output=True,
        )

    def generate(self, *args: str) -> None:
        """Run the shared ``generate.py`` on this database with ``args``."""
        subprocess.run(
            [sys.executable, str(DISCUZ / "generate.py"), "-D", self.name, *args],
            env=self.env,
            check=True,
            capture_output=True,
        )

    def options(self, **overrides) -> ConnectionOptions:
        """Connection options for this database (``overrides`` replace fields)."""
        values = {"database": self.name, "host": self.host, "port": self.port, "user": "root"}
        values.update(overrides)
        return ConnectionOptions(**values)

    def connect(self):
        """A new PyMySQL connection to this database."""
        return connect(self.options())

    def query(self, sql: str, params=()) -> list[tuple]:
        """Run ``sql`` on this database and return all rows."""
        conn = self.connect()
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall())
        finally:
            conn.close()

    def drop(self) -> None:
        """Drop this database."""
        conn = pymysql.connect(host=self.host, port=self.port, user="root", password="")
        try:
            with conn.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS `{self.name}`")
        finally:
            conn.close()


def _make(datafiles=(), generate=None):
    host, port = server()
    db = DiscuzDatabase(host, port)
    try:
        db.load(*datafiles)
        if generate:
            db.generate(*generate)
    except BaseException:
        db.drop()
        raise
    return db


@pytest.fixture(scope="module")
def seed_db():
    """A Discuz! database holding the seed site (``seed_thread.sql``)."""
    db = _make([DISCUZ / "seed_thread.sql"])
    yield db
    db.drop()


@pytest.fixture(scope="module")
def synthetic_db():
    """A generated Discuz! site: ``generate.py --users 200 --threads 300 --seed 7``."""
    db = _make(generate=["--users", "200", "--threads", "300", "--seed", "7"])
    yield db
    db.drop()


@pytest.fixture
def empty_db():
    """An empty database (no tables) on the test server."""
    host, port = server()
    db = DiscuzDatabase(host, port)
    conn = pymysql.connect(host=host, port=port, user="root", password="")
    try:
        with conn.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE `{db.name}` DEFAULT CHARACTER SET utf8mb4")
    finally:
        conn.close()
    yield db
    db.drop()
