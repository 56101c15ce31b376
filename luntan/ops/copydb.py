"""Copying a whole site from one database to another (SQLite to PostgreSQL), table by table.

Used by ``luntan copy_database`` when a one-machine site moves to PostgreSQL. The target
(``DATABASE_URL``) is migrated first, so it has the same schema as the source; every
table of an installed model is emptied there, then the rows are copied with their primary
keys (read through the models' fields, so SQLite's text dates, 0/1 booleans and JSON come
out as Python values and go in as the target's types), all in one transaction:
PostgreSQL's foreign keys are ``DEFERRABLE INITIALLY DEFERRED`` in Django's schema, so
tables can be filled in any order. Sequences are then moved past the copied keys and
every table's row count is compared with the source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.models import Model

BATCH = 2000


class CopyError(Exception):
    """The copy cannot start (bad source, same database); the message says what to do."""


@dataclass
class CopyReport:
    """``tables``: ``{table: (source rows, target rows)}``; ``problems``: one sentence per
    table whose counts differ (empty: the copy is complete)."""

    tables: dict[str, tuple[int, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows copied in all."""
        return sum(target for _source, target in self.tables.values())

    @property
    def ok(self) -> bool:
        """True when every table has as many rows in the target as in the source."""
        return not self.problems


def copied_models() -> list[type[Model]]:
    """Every concrete, managed model with a table (including many-to-many tables)."""
    found = []
    seen: set[str] = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        found.append(model)
    return found


def add_source(alias: str, settings_dict: Any) -> None:
    """Register ``settings_dict`` (as in ``DATABASES``) as the connection ``alias``."""
    connections.settings[alias] = connections.configure_settings({"default": dict(settings_dict)})[
        "default"
    ]


def copy_database(
    source: str,
    target: str = "default",
    progress: Callable[[int], Any] | None = None,
    start: Callable[[int], Any] | None = None,
) -> CopyReport:
    """Copy every row of the models' tables from connection ``source`` into ``target``.

    ``start(total_rows)`` is called once before copying and ``progress(n)`` after each
    batch of ``n`` rows (the command drives a tqdm bar with them). Raises
    :class:`CopyError` when both aliases name the same database or the source lacks a
    table the target has (an older release: migrate it first).
    """
    src, dst = connections[source], connections[target]
    if src.settings_dict["NAME"] == dst.settings_dict["NAME"] and src.vendor == dst.vendor:
        raise CopyError("The source and the target are the same database.")
    models = copied_models()
    source_tables = set(src.introspection.table_names())
    missing = [m._meta.db_table for m in models if m._meta.db_table not in source_tables]
    if missing:
        raise CopyError(
            f"The source has no table {', '.join(missing[:5])}: run `luntan migrate` on it with"
            " the same luntan release first."
        )
    counts = {m._meta.db_table: m._default_manager.using(source).count() for m in models}
    if start:
        start(sum(counts.values()))
    qn = dst.ops.quote_name
    with transaction.atomic(using=target), dst.cursor() as cursor:
        tables = [m._meta.db_table for m in models]
        for sql in dst.ops.sql_flush(no_style(), tables, reset_sequences=False, allow_cascade=True):
            cursor.execute(sql)
        for model in models:
            fields = list(model._meta.concrete_fields)
            columns = ", ".join(qn(str(f.column)) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            # Names are quoted model metadata, values are parameters.
            insert = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
            rows = (
                model._default_manager.using(source)
                .order_by("pk")
                .values_list(*[f.attname for f in fields])
            )
            batch: list[list[Any]] = []
            for row in rows.iterator(chunk_size=BATCH):
                batch.append(
                    [
                        f.get_db_prep_save(v, connection=dst)
                        for f, v in zip(fields, row, strict=True)
                    ]
                )
                if len(batch) >= BATCH:
                    cursor.executemany(insert, batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            if batch:
                cursor.executemany(insert, batch)
                if progress:
                    progress(len(batch))
        for sql in dst.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    report = CopyReport()
    for model in models:
        table = model._meta.db_table
        got = model._default_manager.using(target).count()
        report.tables[table] = (counts[table], got)
        if got != counts[table]:
            report.problems.append(f"{table}: {counts[table]} rows in the source, {got} copied")
    return report
