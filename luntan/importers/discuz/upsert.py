"""Create-or-update of imported rows by their Discuz! id, writing only what changed.

Running an import twice must change nothing: each batch is compared field by field with
the rows already imported, new rows go through ``bulk_create`` and changed rows through
``bulk_update`` of just the changed fields.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from luntan.core.bulk import upsert_rows


class ProgressLine(str):
    """A progress line (``str``) that also carries its :class:`TableStats` (``stats``),
    so a terminal front end can draw a bar instead of printing the line."""

    stats: TableStats

    def __new__(cls, text: str, stats: TableStats) -> ProgressLine:
        line = super().__new__(cls, text)
        line.stats = stats
        return line


@dataclass
class TableStats:
    """What happened to one Discuz! table: rows ``read``, ``created``, ``updated``,
    ``skipped`` (not imported, see ``notes``), and the wall-clock seconds since the phase
    started (frozen by :meth:`finish`). ``source``: the Discuz! table(s) the phase reads,
    as shown in the import report (e.g. ``"forum_post, forum_post_N"``).

    ``imported`` (rows read and not skipped) is what the report shows: it is the same
    for a first run, a rerun and a resumed run, while ``created``/``updated`` tell what
    this run wrote."""

    name: str
    source: str = ""
    read: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    notes: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    ended: float | None = None
    #: rows this phase will read, when known (for progress bars); ``None``: unknown
    total: int | None = None

    @property
    def seconds(self) -> float:
        """Seconds spent so far (or in total after :meth:`finish`)."""
        return (self.ended or time.perf_counter()) - self.started

    def finish(self) -> TableStats:
        """Stop the clock; returns ``self``."""
        self.ended = time.perf_counter()
        return self

    @property
    def imported(self) -> int:
        """Rows read that are in luntan after the phase (``read - skipped``)."""
        return max(self.read - self.skipped, 0)

    def skip(self, reason: str, n: int = 1) -> None:
        """Count ``n`` rows left out for ``reason``."""
        self.skipped += n
        self.notes[reason] = self.notes.get(reason, 0) + n

    @property
    def rate(self) -> float:
        """Rows read per second."""
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> ProgressLine:
        """One progress line, e.g. ``posts: 7815 read, 7815 created, … (5120 rows/s)``."""
        text = (
            f"{self.name}: {self.read} read, {self.created} created, {self.updated} updated, "
            f"{self.skipped} skipped ({self.rate:.0f} rows/s, {self.seconds:.1f} s)"
        )
        if self.notes:
            text += " [" + ", ".join(f"{k}: {v}" for k, v in sorted(self.notes.items())) + "]"
        return ProgressLine(text, self)


def upsert(
    model,
    key: str,
    values: Iterable[Mapping[str, Any]],
    existing: dict,
    stats: TableStats,
    *,
    batch_size: int = 1000,
    compare: Callable[[object, str, object], bool] | None = None,
    plain_insert: bool = False,
) -> list:
    """Create or update rows of ``model`` identified by the field ``key``.

    ``values``: one dict of field values per row, each with ``key``; ``existing``: the
    already imported instances of this batch, by key value. A field counts as changed when
    ``compare(instance, field, new)`` is false (default: ``getattr(instance, field) ==
    new``). Returns the created instances (with pks where the database returns them;
    with ``plain_insert`` the created rows' dicts, without pks: no model instances are
    built, see :func:`luntan.core.bulk.insert_rows`). Call inside the batch's transaction.
    """
    created, updated = upsert_rows(
        model,
        key,
        values,
        existing,
        batch_size=batch_size,
        compare=compare,
        plain_insert=plain_insert,
    )
    stats.created += len(created)
    stats.updated += updated
    return created
