"""Search index backends, chosen by the database in use.

:func:`get_backend` returns the backend for ``connection.vendor`` (``sqlite`` → SQLite
FTS5, ``postgresql`` → PostgreSQL full text) unless the ``LUNTAN_SEARCH_BACKEND`` setting
names a class (dotted path) implementing :class:`~luntan.search.backends.base.SearchBackend`,
which is how a third backend (Meilisearch, OpenSearch …) plugs in without touching views.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from luntan.search.backends.base import SearchBackend

_BY_VENDOR = {
    "sqlite": "luntan.search.backends.sqlite.SQLiteBackend",
    "postgresql": "luntan.search.backends.postgres.PostgresBackend",
}


def get_backend() -> SearchBackend:
    """Return the search backend for the default database (raises ``LookupError`` if none)."""
    path = getattr(settings, "LUNTAN_SEARCH_BACKEND", "") or _BY_VENDOR.get(connection.vendor)
    if not path:
        raise LookupError(f"no search backend for database vendor {connection.vendor!r}")
    return import_string(path)()


__all__ = ["SearchBackend", "get_backend"]
