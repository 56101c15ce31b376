"""Queries compiled to SQL once per process, for the hottest read paths.

Building a queryset's SQL (``SQLCompiler.as_sql``: joins, ``only()``, ordering) costs
several times more CPU than SQLite or PostgreSQL take to run a small query. A query whose
shape never changes and that has no parameter — the board tree of the index, the site
statistics row — can be compiled once and then only executed. :class:`Precompiled` does
that and still applies Django's converters (dates, JSON, booleans), so the rows equal
what ``values_list()`` would give.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet


class Precompiled:
    """``Precompiled(lambda: Model.objects….values_list(…))``; ``.rows()`` runs it.

    ``build`` returns a ``values_list()`` queryset without run-time parameters; it is
    compiled on the first call in each thread (per database connection object). The
    query is counted like any other (it goes through the connection's cursor).
    """

    def __init__(self, build: Callable[[], QuerySet]) -> None:
        self._build = build
        self._local = threading.local()

    def _compiled(self):
        state = getattr(self._local, "state", None)
        if state is not None and state[0] is connections[state[5]]:
            return state
        qs = self._build()
        connection = connections[qs.db]
        compiler = qs.query.get_compiler(using=qs.db)
        sql, params = compiler.as_sql()
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        state = (connection, compiler, sql, params, compiler.get_converters(fields), qs.db)
        self._local.state = state
        return state

    def rows(self) -> list[tuple]:
        """Run the query; return its rows as tuples of converted values."""
        connection, compiler, sql, params, converters, _alias = self._compiled()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(r) for r in compiler.apply_converters(rows, converters)]
        return rows
