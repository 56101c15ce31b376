"""The site's content generation: a number that changes after every committed write.

Guest pages are cached under the current generation (:mod:`luntan.pagecache.cache`), so
a write never has to know which pages it changes: any INSERT, UPDATE or DELETE that
reaches the database through Django (services, the admin, the importer, a shell, raw
``QuerySet.update()`` calls alike) bumps the generation when its transaction commits, and
every cached page becomes unreachable at once (entries then expire by themselves).

A statement wrapper on every database connection (Django's ``execute_wrappers``)
recognises writes. Ignored, because no guest page shows them: sessions, the task queue, members' unread
tracking (``unread_*``),
and the buffered thread view counts (``UPDATE threads_thread SET views = views + n``; a
cached page may show a view count up to a cache lifetime old, as Discuz!'s own cached
pages do). The generation lives in Django's cache (Redis when configured, so every app
server sees the same one).
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.db import connections, transaction

from luntan.core.cache import shared as cache  # one count for every worker

KEY = "luntan:pagecache:generation"

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
_IGNORED_TABLE = re.compile(
    r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+[`\"]?"
    r"(django_session|django_tasks_database\w*|django_tasks_db\w*|pagecache_\w*|unread_\w*)\b",
    re.I,
)
_VIEWS_ONLY = re.compile(
    r"^\s*UPDATE\s+[`\"]?threads_thread[`\"]?\s+SET\s+[`\"]?views[`\"]?\s*=\s*"
    r"\(\s*[`\"]?threads_thread[`\"]?\.[`\"]?views[`\"]?\s*\+\s*%s\s*\)\s+WHERE",
    re.I,
)


def current() -> str:
    """The current generation (a string; set on first use, kept without expiry)."""
    value = cache.get(KEY)
    if value is None:
        value = f"{time.time_ns():x}"
        if not cache.add(KEY, value, timeout=None):
            value = cache.get(KEY) or value
    return str(value)


def bump() -> None:
    """Start a new generation: every cached guest page is stale from now on."""
    cache.set(KEY, f"{time.time_ns():x}", timeout=None)


def is_content_write(sql: str) -> bool:
    """Whether ``sql`` writes something a guest page may show (see the module)."""
    return bool(_WRITE.match(sql) and not _IGNORED_TABLE.match(sql) and not _VIEWS_ONLY.match(sql))


def _bump_after_commit() -> None:
    bump()


def _wrapper(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and is_content_write(sql):
        connection = context["connection"]
        if connection.in_atomic_block:
            # Once per transaction: a rollback discards the queued callback with the rest.
            if not any(item[1] is _bump_after_commit for item in connection.run_on_commit):
                transaction.on_commit(_bump_after_commit, using=connection.alias)
        else:
            bump()
    return result


def watch_connection(sender: Any = None, connection: Any = None, **kwargs: Any) -> None:
    """Install the write watcher on ``connection`` (``connection_created`` receiver)."""
    if connection is not None and _wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_wrapper)


def watch_open_connections() -> None:
    """Install the watcher on the connection objects that already exist (the handler's
    per-thread connections are created lazily; this covers the current thread's)."""
    for alias in connections:
        watch_connection(connection=connections[alias])
