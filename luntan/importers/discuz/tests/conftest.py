"""Fixtures for the Discuz! importer tests: throwaway MariaDB databases built with the
shared ``load.sh`` (and ``generate.py``), dropped afterwards.

The shared fixtures are read from ``../shared/discuz/`` beside the repository root, or
from ``$LUNTAN_SHARED_DIR/discuz/``. The server comes from ``LUNTAN_TEST_MYSQL_HOST`` /
``LUNTAN_TEST_MYSQL_PORT`` (user ``root``, no password); without it the ``mariadb`` tests
skip, or fail when ``LUNTAN_REQUIRE_SERVICES=1``.

``load.sh`` creates some 290 tables, which takes MariaDB tens of seconds; a test run builds
each distinct site (same data files, same ``generate.py`` arguments) once into a template
database and gives every fixture its own copy of it (tables, rows and AUTO_INCREMENT
counters), a few seconds each. Templates are dropped when the run ends.
"""

from __future__ import annotations

import atexit
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
        # LUNTAN_TEST_MYSQL_DB_PREFIX keeps several checkouts' databases apart on one server.
        prefix = os.environ.get("LUNTAN_TEST_MYSQL_DB_PREFIX") or "lt_test_"
        self.name = f"{prefix}{secrets.token_hex(6)}"

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


def _copy_database(host: str, port: int, source: str, target: str) -> None:
    """Create database ``target`` as a copy of ``source``: the same default character set,
    every table created ``LIKE`` its original (engine, charset, indexes), its rows in scan
    order and its AUTO_INCREMENT counter. Rows are copied with ``NO_AUTO_VALUE_ON_ZERO``
    so that an id of 0 stays 0."""
    conn = pymysql.connect(host=host, port=port, user="root", password="", autocommit=True)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME "
                "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s",
                (source,),
            )
            charset, collation = cursor.fetchone()
            cursor.execute(
                "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = %s AND TABLE_TYPE = 'BASE TABLE'",
                (source,),
            )
            tables = list(cursor.fetchall())
            cursor.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'")
            cursor.execute(
                f"CREATE DATABASE `{target}` DEFAULT CHARACTER SET {charset} COLLATE {collation}"
            )
            for table, auto_increment in tables:
                cursor.execute(f"CREATE TABLE `{target}`.`{table}` LIKE `{source}`.`{table}`")
                cursor.execute(
                    f"INSERT INTO `{target}`.`{table}` SELECT * FROM `{source}`.`{table}`"
                )
                if auto_increment:
                    cursor.execute(
                        f"ALTER TABLE `{target}`.`{table}` AUTO_INCREMENT = {int(auto_increment)}"
                    )
    finally:
        conn.close()


# (data files, generate.py arguments) -> the template database holding that site.
_templates: dict[tuple[tuple[str, ...], tuple[str, ...]], DiscuzDatabase] = {}


def _drop_templates() -> None:
    for template in _templates.values():
        try:
            template.drop()
        except pymysql.MySQLError:
            pass
    _templates.clear()


atexit.register(_drop_templates)


def _build(host: str, port: int, datafiles, generate) -> DiscuzDatabase:
    db = DiscuzDatabase(host, port)
    try:
        db.load(*datafiles)
        if generate:
            db.generate(*generate)
    except BaseException:
        db.drop()
        raise
    return db


def _make(datafiles=(), generate=None):
    """A new Discuz! database loaded with ``datafiles`` (after the schema and default rows)
    and then ``generate.py generate``: a copy of this run's template for the same arguments
    (built on first use). With ``--attach-dir`` (files written outside the database) the
    site is generated afresh."""
    host, port = server()
    if generate and "--attach-dir" in generate:
        return _build(host, port, datafiles, generate)
    key = (tuple(map(str, datafiles)), tuple(generate or ()))
    if key not in _templates:
        _templates[key] = _build(host, port, datafiles, generate)
    db = DiscuzDatabase(host, port)
    try:
        _copy_database(host, port, _templates[key].name, db.name)
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
