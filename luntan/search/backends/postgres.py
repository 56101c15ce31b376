"""PostgreSQL full-text backend: ``search_postvector(post_id, vector tsvector)`` + GIN.

The vector is ``setweight(to_tsvector('simple', title_tokens), 'A') ||
to_tsvector('simple', body_tokens)``: the ``simple`` configuration only lower-cases, and
the tokens were already segmented and folded by :mod:`luntan.search.text`, so each one
becomes one lexeme. Queries are compiled to ``tsquery`` text in which every token is a
single-quoted lexeme (``'`` doubled, ``\\`` escaped) and passed as a bound parameter to
``to_tsquery('simple', %s)``; phrases use ``<->``; the title-only scope restricts lexemes
to weight ``A``. The newest ``max_total`` matches (by post id) are fetched with their ``ts_rank`` in one
query and ordered by :func:`~luntan.search.backends.base.rank_and_page`. Positions above 16,383 are
clamped by PostgreSQL, so phrases deep inside very long posts may not match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

from luntan.search.backends.base import (
    IndexDoc,
    SearchBackend,
    candidate_sql,
    rank_and_page,
)
from luntan.search.query import AllOf, AnyOf, Chars, Clause, ParsedQuery, Word

TABLE = "search_postvector"


def tsquery_lexeme(token: str, *, title_only: bool) -> str:
    """``token`` as a quoted tsquery lexeme, weight-restricted to A for the title scope."""
    quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":A" if title_only else "")


def compile_tsquery(query: ParsedQuery, *, title_only: bool) -> str:
    """tsquery text for ``query`` (an empty query raises ``ValueError``)."""
    if query.is_empty:
        raise ValueError("empty query")

    def clause(node: Clause) -> str:
        if isinstance(node, Word):
            return tsquery_lexeme(node.token, title_only=title_only)
        if isinstance(node, Chars):
            lexemes = [tsquery_lexeme(t, title_only=title_only) for t in node.tokens]
            return "(" + " <-> ".join(lexemes) + ")"
        joiner = " | " if isinstance(node, AnyOf) else " & "
        assert isinstance(node, AnyOf | AllOf)
        return "(" + joiner.join(clause(p) for p in node.parts) + ")"

    parts = [clause(c) for c in query.include]
    parts += ["!" + clause(c) for c in query.exclude]
    return " & ".join(parts)


class PostgresBackend(SearchBackend):
    """Search index in a tsvector table of the site's PostgreSQL database."""

    def upsert(self, docs: Sequence[IndexDoc]) -> None:
        if not docs:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (post_id, vector) VALUES (%s, "  # noqa: S608
                "setweight(to_tsvector('simple', %s), 'A') || to_tsvector('simple', %s)) "
                "ON CONFLICT (post_id) DO UPDATE SET vector = EXCLUDED.vector",
                [(d.post_id, d.title, d.body) for d in docs],
            )

    def remove(self, post_ids: Iterable[int]) -> None:
        ids = [int(i) for i in post_ids]
        if ids:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE} WHERE post_id = ANY(%s)", [ids])  # noqa: S608

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
            return int(cursor.fetchone()[0])

    def size_bytes(self) -> int | None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size(%s)", [TABLE])
            return int(cursor.fetchone()[0])

    def search(self, query, candidates, *, title_only, order, offset, limit, now, max_total):
        tsquery = compile_tsquery(query, title_only=title_only)
        inner, inner_params = candidate_sql(candidates)
        source = (
            f"FROM {TABLE} d JOIN ({inner}) AS v ON v.id = d.post_id, "  # noqa: S608
            "to_tsquery('simple', %s) AS q WHERE d.vector @@ q"
        )
        params = (*inner_params, tsquery)
        if order == "time":
            sql = f"SELECT v.id, v.created, 0.0 {source} ORDER BY v.created DESC, v.id DESC"
        else:
            # PostgreSQL ignores weights when estimating a tsquery, so for the title scope it
            # overestimates the matches and walks the primary key backwards filtering every
            # row; ``+ 0`` makes it use the GIN index and sort the (few) title matches.
            key = "d.post_id + 0" if title_only else "d.post_id"
            sql = f"SELECT v.id, v.created, ts_rank(d.vector, q) {source} ORDER BY {key} DESC"
        with connection.cursor() as cursor:
            cursor.execute(sql + " LIMIT %s", (*params, max_total))
            rows = [(int(i), created, float(rank)) for i, created, rank in cursor.fetchall()]
        return rank_and_page(rows, order=order, offset=offset, limit=limit, now=now)
