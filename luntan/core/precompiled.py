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
from django.db.models.query import get_related_populators


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


# Stand-ins for the run-time values while a query is compiled: integers no page asks for,
# found again in the compiled parameters and replaced on each run.
_SENTINEL = 1_987_650_000
# Bits of psycopg's typed integer parameters (Django types integer-field values on
# PostgreSQL); a value out of range is refused as out of a 64-bit one is.
_PG_INT_BITS = {"Int2": 16, "Int4": 32, "Int8": 64}
# Shapes kept per query and thread; the oldest compiled one is dropped beyond this.
MAX_SHAPES = 64


class PrecompiledObjects:
    """A model query compiled to SQL once per shape and process, run with new values.

    ``PrecompiledObjects(build, slots=("pk",))`` where ``build(values, *shape)`` returns
    the queryset (``select_related``, ``only``, annotations, ordering, slicing as usual)
    for one *shape* (a tuple of hashable choices that change the SQL text: ordering,
    which filters apply, the ``LIMIT``), with ``values[name]`` standing for each run-time
    integer in ``slots`` (thread id, floor bounds). It is built and compiled with
    stand-in integers on the first :meth:`fetch` of each shape in each thread; later runs
    only put the real values in the parameter list and execute, skipping the queryset
    building and ``SQLCompiler.as_sql`` (measured: most of a small query's CPU).

    The rows become model instances exactly as ``list(queryset)`` makes them (the
    columns of ``only()``, ``select_related`` objects, annotations as attributes, Django's
    converters). A slot's value may be used any number of times in the SQL; every
    value must be an ``int``. Raises ``ValueError`` at compile time when the SQL holds a
    stand-in that is not a slot (a value computed from a slot: give it its own slot).
    """

    def __init__(self, build: Callable[..., QuerySet], slots: tuple[str, ...]) -> None:
        self._build = build
        self._slots = slots
        self._local = threading.local()

    def _compiled(self, shape: tuple):
        cache = getattr(self._local, "cache", None)
        if cache is None:
            cache = self._local.cache = {}
        state = cache.get(shape)
        if state is not None and state[0] is connections[state[1]]:
            return state
        if len(cache) >= MAX_SHAPES:  # e.g. one shape per OFFSET: keep the memory bounded
            cache.pop(next(iter(cache)))
        stand_ins = {name: _SENTINEL + 7 * i for i, name in enumerate(self._slots)}
        qs = self._build(stand_ins, *shape)
        alias = qs.db
        compiler = qs.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = list(params)
        positions: list[tuple[int, str]] = []
        by_value = {v: k for k, v in stand_ins.items()}
        for i, p in enumerate(params):
            # On PostgreSQL Django passes integer-field values as psycopg's ``Int2``/
            # ``Int4`` (int subclasses typing the parameter): match those too, or the
            # stand-in stays in the SQL and the query finds nothing.
            if not isinstance(p, int) or isinstance(p, bool):
                continue
            if p in by_value:
                positions.append((i, by_value[p]))
            elif _SENTINEL <= p < _SENTINEL + 1000:
                raise ValueError(f"parameter {i} ({p}) was computed from a slot")
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [f[0].target.attname for f in select[start:end]]
        populators = get_related_populators(klass_info, select, alias)  # type: ignore[call-arg]  # stubs of Django 6
        fields = [s[0] for s in select[0 : compiler.col_count]]
        converters = compiler.get_converters(fields)
        state = (
            connections[alias],
            alias,
            compiler,
            sql,
            params,
            positions,
            (klass_info["model"], start, end, init_list, populators),
            converters,
        )
        cache[shape] = state
        return state

    def fetch(self, shape: tuple = (), **values: int) -> list:
        """Run the query of ``shape`` with ``values`` (one ``int`` per slot); return the
        model instances. Raises ``KeyError`` when a slot the SQL uses has no value and
        ``OverflowError`` for a value outside a signed 64-bit integer (callers range-check
        what comes from a request first)."""
        connection, alias, compiler, sql, template, positions, model, converters = self._compiled(
            shape
        )
        params = list(template)
        for i, name in positions:
            value = int(values[name])
            kind = type(template[i])
            bits = _PG_INT_BITS.get(kind.__name__, 64) if kind is not int else 64
            if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
                raise OverflowError(f"{name}={value} is not a database integer")
            params[i] = kind(value)  # keep psycopg's Int4/Int2 typing
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if compiler.has_extra_select:
            rows = [r[: compiler.col_count] for r in rows]
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        model_cls, start, end, init_list, populators = model
        annotations = compiler.annotation_col_map
        found = []
        for row in rows:
            obj = model_cls.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            if annotations:
                for attr_name, col_pos in annotations.items():
                    setattr(obj, attr_name, row[col_pos])
            found.append(obj)
        return found
