"""SQLite FTS5 backend: a ``search_fts`` virtual table keyed by post id.

The table (created by migration ``0001``) has two columns, ``title`` and ``body``, holding
the pre-segmented, space-separated tokens of :func:`luntan.search.text.index_tokens`,
tokenised by ``unicode61`` (``remove_diacritics 0``) and keyed by ``rowid = post id``.
Queries are compiled to FTS5 syntax in which every token is a double-quoted string
(``"`` doubled), and passed as a bound parameter to ``MATCH``; user text never becomes
SQL or FTS5 operators. The newest ``max_total`` matches (by post id) are fetched with
their ``bm25`` (title weighted 3×) in one query and ordered by
:func:`~luntan.search.backends.base.rank_and_page`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet

from luntan.search.backends.base import (
    IndexDoc,
    SearchBackend,
    SearchResult,
    candidate_sql,
    rank_and_page,
)
from luntan.search.query import AllOf, AnyOf, Chars, Clause, ParsedQuery, Word

TABLE = "search_fts"
TITLE_WEIGHT = 3.0


def fts_string(text: str) -> str:
    """``text`` as an FTS5 string literal: double-quoted with inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def compile_match(query: ParsedQuery, *, title_only: bool) -> str:
    """FTS5 ``MATCH`` expression for ``query`` (an empty query raises ``ValueError``)."""
    if query.is_empty:
        raise ValueError("empty query")
    columns = "{title}" if title_only else "{title body}"

    def clause(node: Clause) -> str:
        if isinstance(node, Word):
            return f"{columns} : {fts_string(node.token)}"
        if isinstance(node, Chars):
            return f"{columns} : {fts_string(' '.join(node.tokens))}"
        joiner = " OR " if isinstance(node, AnyOf) else " AND "
        assert isinstance(node, AnyOf | AllOf)
        return "(" + joiner.join(clause(p) for p in node.parts) + ")"

    expr = "(" + " AND ".join(clause(c) for c in query.include) + ")"
    for node in query.exclude:
        expr = f"({expr} NOT {clause(node)})"
    return expr


class SQLiteBackend(SearchBackend):
    """Search index in an FTS5 table of the site's SQLite database."""

    def upsert(self, docs: Sequence[IndexDoc]) -> None:
        if not docs:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {TABLE} WHERE rowid = %s",  # noqa: S608 (constant name)
                [(d.post_id,) for d in docs],
            )
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
                [(d.post_id, d.title, d.body) for d in docs],
            )

    def remove(self, post_ids: Iterable[int]) -> None:
        ids = [(int(i),) for i in post_ids]
        if ids:
            with connection.cursor() as cursor:
                cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", ids)  # noqa: S608

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
            return int(cursor.fetchone()[0])

    def size_bytes(self) -> int | None:
        with connection.cursor() as cursor:
            try:
                cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s", [f"{TABLE}%"])
            except Exception:  # dbstat is an optional SQLite compile option
                return None
            value = cursor.fetchone()[0]
            return int(value) if value is not None else 0

    def search(
        self,
        query: ParsedQuery,
        candidates: QuerySet,
        *,
        title_only: bool,
        order: str,
        offset: int,
        limit: int,
        now: datetime,
        max_total: int,
    ) -> SearchResult:
        match = compile_match(query, title_only=title_only)
        inner, inner_params = candidate_sql(candidates)
        # CROSS JOIN keeps the FTS5 table as the outer loop: matches first, then the
        # candidate filter by primary key.
        source = (
            f"FROM {TABLE} CROSS JOIN ({inner}) AS v "  # noqa: S608
            f"WHERE v.id = {TABLE}.rowid AND {TABLE} MATCH %s"
        )
        params = (*inner_params, match)
        if order == "time":
            sql = f"SELECT v.id, v.created, 0.0 {source} ORDER BY v.created DESC, v.id DESC"
        else:
            # FTS5 walks rowids backwards and stops at the limit; bm25 is negative (lower is
            # better), so it is negated into a relevance.
            sql = (
                f"SELECT v.id, v.created, -bm25({TABLE}, {TITLE_WEIGHT}, 1.0) {source} "
                f"ORDER BY {TABLE}.rowid DESC"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql + " LIMIT %s", (*params, max_total))
            rows = [(int(i), created, float(rank)) for i, created, rank in cursor.fetchall()]
        return rank_and_page(rows, order=order, offset=offset, limit=limit, now=now)
