"""Reading a live Discuz! X3.4 MySQL/MariaDB database with PyMySQL.

Every query is parameterised; table names are built only from a prefix validated against
``^[A-Za-z0-9_]+$`` and fixed table names. Large tables are read by keyset pagination
(``WHERE id > last ORDER BY id LIMIT n``), so memory stays bounded and the connection is
free between pages.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pymysql
import pymysql.cursors

PREFIX_RE = re.compile(r"^[A-Za-z0-9_]+$")

# Tables without which the database is not a Discuz! X forum we can import.
REQUIRED_TABLES = (
    "forum_thread",
    "forum_post",
    "forum_forum",
    "forum_forumfield",
    "common_member",
    "common_setting",
)


#: ``--source-charset`` values → Python codec of the Discuz! edition
SITE_CHARSETS = {"utf8": "utf-8", "utf-8": "utf-8", "gbk": "gbk", "big5": "big5"}


class SourceError(Exception):
    """The Discuz! database cannot be read: the message says why and how to fix it."""


@dataclass(frozen=True)
class ConnectionOptions:
    """How to reach the Discuz! database (defaults as ``load.sh``/``generate.py``:
    ``MYSQL_HOST``, ``MYSQL_PORT``, ``MYSQL_USER``, ``MYSQL_PWD``, ``MYSQL_UNIX_PORT``)."""

    database: str
    host: str = "127.0.0.1"
    port: int = 3306
    user: str = "root"
    password: str = ""
    socket: str | None = None

    @classmethod
    def from_env(
        cls,
        database: str,
        *,
        host: str | None = None,
        port: int | None = None,
        user: str | None = None,
        password: str | None = None,
        socket: str | None = None,
    ) -> ConnectionOptions:
        """Options from the ``MYSQL_*`` environment, with non-``None`` arguments winning."""
        env = os.environ
        return cls(
            database=database,
            host=host if host is not None else env.get("MYSQL_HOST", "127.0.0.1"),
            port=port if port is not None else int(env.get("MYSQL_PORT", "3306")),
            user=user if user is not None else env.get("MYSQL_USER", "root"),
            password=password if password is not None else env.get("MYSQL_PWD", ""),
            socket=socket if socket is not None else (env.get("MYSQL_UNIX_PORT") or None),
        )

    def where(self) -> str:
        """Human-readable server address for messages."""
        return self.socket if self.socket else f"{self.host}:{self.port}"


def connect(options: ConnectionOptions) -> pymysql.connections.Connection:
    """Open a read connection (utf8mb4, ``sql_mode=''`` as Discuz!'s driver).

    Raises :class:`SourceError` with a fix for an unreachable server, refused credentials
    or a missing database.
    """
    kwargs = {
        "user": options.user,
        "password": options.password,
        "database": options.database,
        "charset": "utf8mb4",
        "connect_timeout": 10,
        "autocommit": True,
        "init_command": "SET SESSION sql_mode=''",
    }
    if options.socket:
        kwargs["unix_socket"] = options.socket
    else:
        kwargs["host"] = options.host
        kwargs["port"] = options.port
    try:
        return pymysql.connect(**kwargs)
    except pymysql.err.OperationalError as exc:
        code = exc.args[0] if exc.args else 0
        detail = exc.args[1] if len(exc.args) > 1 else str(exc)
        if code in (1045, 1698):  # access denied (1698: no such user / auth plugin)
            raise SourceError(
                f"MySQL/MariaDB at {options.where()} refused user {options.user!r}: {detail}. "
                "Check --user/--password (or MYSQL_USER/MYSQL_PWD)."
            ) from None
        if code == 1049:
            raise SourceError(
                f"Database {options.database!r} does not exist on {options.where()}. "
                "Check --database."
            ) from None
        if code in (1044, 1142):
            raise SourceError(
                f"User {options.user!r} may not read database {options.database!r}: {detail}. "
                "Grant SELECT on it or use another account."
            ) from None
        raise SourceError(
            f"Cannot connect to MySQL/MariaDB at {options.where()}: {detail}. "
            "Is the server running? Check --host/--port (or --socket)."
        ) from None
    except (pymysql.err.MySQLError, OSError) as exc:
        raise SourceError(
            f"Cannot connect to MySQL/MariaDB at {options.where()}: {exc}. "
            "Check --host/--port (or --socket)."
        ) from None


class _TableNames(dict):
    def __init__(self, source: DiscuzSource, aliases: dict[str, str]):
        super().__init__()
        self.source, self.aliases = source, aliases

    def __missing__(self, name: str) -> str:
        return self.source.table(self.aliases.get(name, name))


class DiscuzSource:
    """A Discuz! database behind ``conn`` whose tables start with ``prefix``.

    Use :meth:`check` before reading; it raises :class:`SourceError` when the tables are
    not there.
    """

    def __init__(self, conn, prefix: str = "pre_", *, source_charset: str | None = None):
        if not PREFIX_RE.match(prefix or ""):
            raise SourceError(
                f"Invalid table prefix {prefix!r}: use letters, digits and _ only (e.g. pre_)."
            )
        if source_charset is not None and source_charset not in SITE_CHARSETS:
            raise SourceError(
                f"Unknown --source-charset {source_charset!r}: use utf8, gbk or big5."
            )
        self.conn = conn
        self.prefix = prefix
        self._tables: set[str] | None = None
        self.requested_charset = SITE_CHARSETS.get(source_charset or "")
        #: the Discuz! edition's charset (``utf-8``, ``gbk``, ``big5``), set by :meth:`check`
        self.charset = self.requested_charset or "utf-8"
        #: text columns declared latin1 hold the site's bytes: values are re-decoded
        self.recode = False
        self.read_tables: set[str] = set()  # unprefixed names of the tables queried

    def sql(self, template: str, **aliases: str) -> str:
        """Return ``template`` with each ``{name}`` replaced by :meth:`table` ``(name)``,
        e.g. ``"SELECT uid FROM {common_member}"``; ``aliases`` name tables chosen at run
        time (``{member}`` with ``member="common_member_archive"``). Values always go in
        ``%s`` parameters, never into the template."""
        return template.format_map(_TableNames(self, aliases))

    def table(self, name: str) -> str:
        """Return the quoted table name ``<prefix><name>`` (``name`` is a fixed identifier)."""
        assert PREFIX_RE.match(name)
        self.read_tables.add(name)
        return f"`{self.prefix}{name}`"

    @property
    def tables(self) -> set[str]:
        """Unprefixed names of the tables that carry this prefix."""
        if self._tables is None:
            like = self.prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
            rows = self.fetchall("SHOW TABLES LIKE %s", (like + "%",))
            self._tables = {row[0][len(self.prefix) :] for row in rows}
        return self._tables

    def has(self, name: str) -> bool:
        """True when ``<prefix><name>`` exists."""
        return name in self.tables

    def check(self) -> None:
        """Raise :class:`SourceError` unless the Discuz! X tables the importer reads exist
        and their text can be read without mojibake (see :meth:`check_charset`)."""
        missing = [name for name in REQUIRED_TABLES if not self.has(name)]
        if not missing:
            self.check_charset()
            return
        rows = self.fetchall("SHOW TABLES LIKE %s", ("%forum\\_thread",))
        prefixes = sorted(row[0][: -len("forum_thread")] for row in rows)
        database = self.fetchall("SELECT DATABASE()")[0][0]
        hint = (
            f" Tables with other prefixes were found: use --prefix {' or '.join(prefixes)}."
            if prefixes
            else " Check --database: it must be the database Discuz! was installed into."
        )
        raise SourceError(
            f"Database {database!r} is not a Discuz! X database with table prefix "
            f"{self.prefix!r}: table {self.prefix}{missing[0]} not found.{hint}"
        )

    def check_charset(self) -> None:
        """Find the site's charset from the declared charset of ``common_member.username``
        (``utf8*`` → UTF-8 edition, ``gbk``, ``big5``) unless ``--source-charset`` named it.

        A column declared ``latin1`` whose values hold bytes ≥ 0x80 is how many GBK sites
        were run (GBK bytes in latin1 tables): read as declared it would import as
        mojibake (``¼òÑô`` for 简阳), so this raises :class:`SourceError` asking for
        ``--source-charset gbk`` (or ``big5``); with it, the connection reads the raw bytes
        and every text value is decoded in that charset. Raises too when the names hold
        ``锟斤拷`` or ``Ã`` sequences (text already damaged by a wrong conversion).
        """
        rows = self.fetchall(
            "SELECT CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
            "DATABASE() AND TABLE_NAME = %s AND COLUMN_NAME = 'username'",
            (f"{self.prefix}common_member",),
        )
        declared = (rows[0][0] or "").lower() if rows else "utf8"
        if declared in ("gbk", "big5") and self.requested_charset is None:
            self.charset = SITE_CHARSETS[declared]
        if declared == "latin1":
            if self.requested_charset in ("gbk", "big5"):
                self.recode = True
                self.charset = self.requested_charset
                self.conn.set_character_set("latin1")
            else:
                sample = self._name_sample()
                if any(ch >= "\x80" for name in sample for ch in name):
                    raise SourceError(
                        f"The Discuz! tables are declared latin1 but hold non-ASCII bytes "
                        f"(e.g. {sample[0]!r}): this is a GBK (or BIG5) site whose text would "
                        "import as mojibake. Run the import again with --source-charset gbk "
                        "(or --source-charset big5)."
                    )
        damaged = [n for n in self._name_sample() if "锟斤拷" in n or "Ã" in n]
        if damaged:
            raise SourceError(
                f"Member names hold mojibake ({damaged[0]!r}): the text was converted with "
                "the wrong charset before it reached this database. Check --source-charset "
                "(utf8, gbk, big5), or repair the dump, then run the import again."
            )

    def _name_sample(self) -> list[str]:
        rows = self.fetchall(
            self.sql("SELECT username FROM {common_member} ORDER BY uid LIMIT 500")
        )
        return [row[0] for row in rows if isinstance(row[0], str)]

    def _fix(self, value):
        if self.recode and isinstance(value, str):
            return value.encode("latin1", "replace").decode(self.charset, "replace")
        return value

    def post_tables(self) -> list[str]:
        """Unprefixed names of the post tables: ``forum_post`` then ``forum_post_1`` … (the
        archive tables of Discuz!'s 帖子分表, ``forum_thread.posttableid``)."""
        extra = sorted(
            (name for name in self.tables if re.fullmatch(r"forum_post_\d+", name)),
            key=lambda name: int(name.rsplit("_", 1)[1]),
        )
        return ["forum_post", *extra]

    def thread_tables(self) -> list[str]:
        """Unprefixed names of the thread tables: ``forum_thread`` then ``forum_thread_1``
        … (Discuz!'s 主题分表, archived threads listed in ``forum_forum_threadtable``)."""
        extra = sorted(
            (name for name in self.tables if re.fullmatch(r"forum_thread_\d+", name)),
            key=lambda name: int(name.rsplit("_", 1)[1]),
        )
        return ["forum_thread", *extra]

    def row_counts(self) -> dict[str, int]:
        """``{unprefixed table name: rows}`` for every table with this prefix, from
        ``information_schema`` (exact for Discuz!'s MyISAM and MEMORY tables, an
        estimate for InnoDB)."""
        like = self.prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
        rows = self.fetchall(
            "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE %s",
            (like + "%",),
        )
        return {name[len(self.prefix) :]: int(count or 0) for name, count in rows}

    def fetchall(self, sql: str, params=()) -> list[tuple]:
        """Run one query and return all rows as tuples."""
        with self.conn.cursor() as cursor:
            cursor.execute(sql, params)
            rows = list(cursor.fetchall())
        if self.recode:
            return [tuple(self._fix(v) for v in row) for row in rows]
        return rows

    def dicts(self, sql: str, params=()) -> list[dict]:
        """Run one query and return all rows as dicts keyed by column name."""
        with self.conn.cursor(pymysql.cursors.DictCursor) as cursor:
            cursor.execute(sql, params)
            rows = list(cursor.fetchall())
        if self.recode:
            return [{k: self._fix(v) for k, v in row.items()} for row in rows]
        return rows

    def pages(self, sql: str, key: str, batch: int, params=()) -> Iterator[list[dict]]:
        """Yield pages of at most ``batch`` rows (dicts) of a keyset-paginated query.

        ``sql`` ends with ``WHERE … <key> > %s ORDER BY <key> LIMIT %s``: ``params`` fill
        the placeholders before those two; ``key`` is the result column holding the key.
        """
        last = -1
        while True:
            rows = self.dicts(sql, (*params, last, batch))
            if not rows:
                return
            yield rows
            last = rows[-1][key]
            if len(rows) < batch:
                return
