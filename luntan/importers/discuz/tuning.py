"""Database session settings for the duration of a bulk import.

On SQLite the import connection runs with ``PRAGMA synchronous=OFF`` (commits do not
wait for the disk; a killed *process* loses nothing committed, only a power cut or an
OS crash during the import could, and the import is rerun then anyway) and a 256 MB page
cache, so the B-trees of a million posts and their search index stay in memory. Both are
set back to their earlier values at the end, also when the import fails. PostgreSQL is
left as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

#: SQLite page cache during the import, in KiB (negative ``cache_size`` = KiB).
CACHE_KIB = 262_144


@contextmanager
def bulk_load_session() -> Iterator[None]:
    """Apply the import's session settings (SQLite only, outside a transaction),
    restore them on exit."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        # SQLite refuses to change the safety level inside a transaction (a caller's
        # atomic block, e.g. a test): the import then runs with the usual settings.
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        synchronous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size")
        cache_size = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={synchronous:d}")
            cursor.execute(f"PRAGMA cache_size={cache_size:d}")
