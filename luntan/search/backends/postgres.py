"""PostgreSQL full-text backend: ``search_postvector(post_id, vector, title)`` + GIN indexes.

``vector`` is ``setweight(to_tsvector('simple', title_tokens), 'A') ||
to_tsvector('simple', body_tokens)``; ``title`` holds the subject part alone (weight A) for
floor-1 posts and NULL otherwise, with its own partial GIN index, so the title scope is
answered by an index instead of checking weights row by row. The ``simple`` configuration
only lower-cases, and the tokens were already segmented and folded by
:mod:`luntan.search.text`, so each one becomes one lexeme. Queries are compiled to
``tsquery`` text in which every token is a single-quoted lexeme (``'`` doubled, ``\\``
escaped) and passed as a bound parameter to ``to_tsquery('simple', %s)``; phrases use
``<->``.

Matches are fetched newest first in *windows* of the ordering key (post id, or post time
for ``order="time"``): a first window over the newest 1/32 of the key range, then windows
sized from the match density seen so far, until ``max_total`` matches are found or the
range is exhausted. Each window query is bounded (``key > lower AND key <= upper``), so
PostgreSQL re-checks (phrases) and fetches from the heap only the rows of that window
(a ``BitmapAnd`` of the GIN and primary-key indexes, or a backward primary-key scan when
matches are dense) instead of every match in the table. ``ts_rank`` is then computed for
the fetched posts only (at most ``max_total``), by primary key, and
:func:`~luntan.search.backends.base.rank_and_page` orders them. JIT compilation is off
for these short queries (``SET LOCAL jit = off``): its compile time alone exceeded the
query time. Positions above 16,383 are clamped by PostgreSQL, so phrases deep inside very
long posts may not match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection, transaction
from django.db.models import QuerySet

from luntan.search.backends.base import (
    IndexDoc,
    SearchBackend,
    SearchResult,
    candidate_sql,
    rank_and_page,
)
from luntan.search.query import AllOf, AnyOf, Chars, Clause, ParsedQuery, Word
from luntan.threads.models import Post

TABLE = "search_postvector"

# The first window covers the newest 1/FIRST_WINDOW of the key range; later windows are
# sized for the matches still missing at the density seen so far (× WINDOW_MARGIN); when
# the first window found nothing, the second covers the rest of the range.
FIRST_WINDOW = 32
WINDOW_MARGIN = 1.5


def tsquery_lexeme(token: str) -> str:
    """``token`` as a quoted tsquery lexeme."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def compile_tsquery(query: ParsedQuery) -> str:
    """tsquery text for ``query`` (an empty query raises ``ValueError``).

    The title scope uses the same text against the ``title`` column.
    """
    if query.is_empty:
        raise ValueError("empty query")

    def clause(node: Clause) -> str:
        if isinstance(node, Word):
            return tsquery_lexeme(node.token)
        if isinstance(node, Chars):
            return "(" + " <-> ".join(tsquery_lexeme(t) for t in node.tokens) + ")"
        joiner = " | " if isinstance(node, AnyOf) else " & "
        assert isinstance(node, AnyOf | AllOf)
        return "(" + joiner.join(clause(p) for p in node.parts) + ")"

    parts = [clause(c) for c in query.include]
    parts += ["!" + clause(c) for c in query.exclude]
    return " & ".join(parts)


def _first_lower(start, top):
    """Lower (exclusive) bound of the first window: the newest 1/FIRST_WINDOW of the range."""
    span = (top - start) / FIRST_WINDOW
    lower = top - (max(1, int(span)) if isinstance(top, int) else span)
    return None if lower < start else lower


def _next_lower(upper, covered, found: int, wanted: int, start):
    """Lower (exclusive) bound of the next window below ``upper``, or None for "the rest".

    ``covered`` is the key span searched so far (``top - upper``; ints or timedeltas) in
    which ``found`` matches were seen; ``start`` is the lowest key in the table.
    """
    if not found:  # rare or absent: one last query over the rest (no repeated index scans)
        return None
    span = covered * (WINDOW_MARGIN * (wanted - found) / found)
    if isinstance(upper, int):
        span = max(1, int(span))
    lower = upper - span
    return None if lower < start else lower


def _posts_table() -> str:

    return Post._meta.db_table


class PostgresBackend(SearchBackend):
    """Search index in a tsvector table of the site's PostgreSQL database."""

    def upsert(self, docs: Sequence[IndexDoc]) -> None:
        if not docs:
            return
        # One set-based statement per call (the rows as three arrays): a bulk load's
        # batch of 1,000 posts is one round trip instead of 1,000 statements.
        unique = {d.post_id: d for d in docs}  # ON CONFLICT may touch a row only once
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (post_id, vector, title, created) "  # noqa: S608
                "SELECT s.id, s.t || to_tsvector('simple', s.b), NULLIF(s.t, ''::tsvector), "
                "p.created FROM (SELECT u.id, setweight(to_tsvector('simple', u.t), 'A') AS t, "
                "u.b FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS u(id, t, b)) s "
                f"LEFT JOIN {_posts_table()} p ON p.id = s.id "
                "ON CONFLICT (post_id) DO UPDATE SET vector = EXCLUDED.vector, "
                "title = EXCLUDED.title, created = EXCLUDED.created",
                [
                    list(unique),
                    [d.title for d in unique.values()],
                    [d.body for d in unique.values()],
                ],
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
        tsquery = compile_tsquery(query)
        column = "d.title" if title_only else "d.vector"
        inner, inner_params = candidate_sql(candidates)
        if order == "time":
            key, order_by = "d.created", "d.created DESC, d.post_id DESC"
            bounds = f"SELECT min(created), max(created) FROM {TABLE}"  # noqa: S608
        else:
            key, order_by = "d.post_id", "d.post_id DESC"
            bounds = f"SELECT min(post_id), max(post_id) FROM {TABLE}"  # noqa: S608
        window_sql = (
            f"SELECT v.id, v.created FROM {TABLE} d JOIN ({inner}) AS v ON v.id = d.post_id "  # noqa: S608
            f"WHERE {column} @@ to_tsquery('simple', %s) AND {key} <= %s"
        )
        rows: list[tuple[int, datetime]] = []
        with transaction.atomic(), connection.cursor() as cursor:
            # Short queries with large cost estimates: JIT compilation would dominate.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(bounds)
            start, top = cursor.fetchone()
            upper = top
            lower = None if top is None else _first_lower(start, top)
            while upper is not None:
                sql, params = window_sql, [*inner_params, tsquery, upper]
                if lower is not None:
                    sql += f" AND {key} > %s"
                    params.append(lower)
                params.append(max_total - len(rows))
                cursor.execute(f"{sql} ORDER BY {order_by} LIMIT %s", params)
                rows.extend((int(i), created) for i, created in cursor.fetchall())
                if len(rows) >= max_total or lower is None:
                    break
                upper = lower
                lower = _next_lower(upper, top - upper, len(rows), max_total, start)
            relevance: dict[int, float] = {}
            if order != "time" and rows:
                cursor.execute(
                    f"SELECT d.post_id, ts_rank({column}, to_tsquery('simple', %s)) "  # noqa: S608
                    f"FROM {TABLE} d WHERE d.post_id = ANY(%s)",
                    (tsquery, [r[0] for r in rows]),
                )
                relevance = {int(i): float(rank) for i, rank in cursor.fetchall()}
        ranked = [(i, created, relevance.get(i, 0.0)) for i, created in rows]
        return rank_and_page(ranked, order=order, offset=offset, limit=limit, now=now)
