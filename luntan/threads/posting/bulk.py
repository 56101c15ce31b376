"""The pipeline's bulk entry point for trusted loaders (:attr:`Trust.IMPORT`): the Discuz!
importer (``luntan/importers/discuz/threads.py``) writes threads and posts through here.

No limits, flood control, censor screening, review queue or credits: the rows are
history, written as they were. What stays the same as a member's post: the post row's
derived fields (``html`` rendered by :func:`luntan.markup.render` with its
``renderer_version``), the search index told after commit (:func:`hooks.posts_imported`;
or by the caller in its transaction with ``index=False``, as the Discuz! importer does),
and the stored counters recomputed from the rows (:func:`recount_threads`, the rules of
``luntan rebuild_counters``). Rows are created with ``bulk_create`` and updated field by
field (:func:`luntan.core.bulk.upsert_rows`), so a batch of 500 posts costs a handful of
queries (the importer's target is 5,000 posts/s).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from luntan import markup
from luntan.core.bulk import upsert_rows
from luntan.threads.counters import rebuild_thread_counters
from luntan.threads.models import Post, Thread
from luntan.threads.posting import hooks
from luntan.threads.posting.types import Trust


@dataclass
class BulkResult:
    """What a bulk call wrote: ``created`` and ``updated`` row counts, and ``changed``,
    the key values (e.g. Discuz! ``pid``) of the rows created or changed."""

    created: int = 0
    updated: int = 0
    changed: list[Any] = field(default_factory=list)


def _require_import(trust: Trust) -> None:
    if trust is not Trust.IMPORT:
        raise ValueError(f"the bulk entry point is for Trust.IMPORT only, not {trust}")


def _changed_keys(key: str, values: list[dict], existing: Mapping[Any, Any]) -> list[Any]:
    out = []
    for row in values:
        old = existing.get(row[key])
        if old is None or any(getattr(old, name) != new for name, new in row.items()):
            out.append(row[key])
    return out


def import_threads(
    values: list[dict],
    *,
    existing: Mapping[Any, Thread],
    trust: Trust,
    key: str = "discuz_tid",
    batch_size: int = 1000,
) -> BulkResult:
    """Create or update threads from ``values`` (one dict of :class:`Thread` fields per
    row, each with ``key``); ``existing`` are the stored threads of this batch by key.
    Only ``trust=Trust.IMPORT`` is accepted (``ValueError`` otherwise). Call inside the
    batch's transaction; board and member counters are the caller's to recount
    (``luntan.threads.counters``), replies/last post come with :func:`recount_threads`.
    Returns a :class:`BulkResult`."""
    _require_import(trust)
    changed = _changed_keys(key, values, existing)
    created, updated = upsert_rows(
        Thread, key, values, existing, batch_size=batch_size, plain_insert=True
    )
    return BulkResult(len(created), updated, changed)


def post_html(source: str, fmt: str, old: Post | None = None) -> str:
    """The sanitised HTML of a post (the same rendering a member's post gets); ``old``'s
    HTML is reused when its source, format and renderer version are unchanged."""
    if (
        old is not None
        and old.source == source
        and old.format == fmt
        and old.renderer_version == markup.RENDERER_VERSION
    ):
        return old.html
    return str(markup.render(source, fmt))


def import_posts(
    values: Sequence[Mapping[str, object]],
    *,
    existing: Mapping[Any, Post],
    trust: Trust,
    key: str = "discuz_pid",
    batch_size: int = 500,
    index: bool = True,
) -> BulkResult:
    """Create or update posts from ``values`` (one dict of :class:`Post` fields per row,
    each with ``key``, ``source`` and ``format``; ``html`` and ``renderer_version`` are
    added to copies of them). ``existing``: the stored posts of this batch by key. Only
    ``trust=Trust.IMPORT`` (``ValueError`` otherwise). Call inside the batch's
    transaction: the search index is told about the created or changed posts after
    commit. Thread counters are recomputed by :func:`recount_threads` once the posts of
    a thread are all written. ``index=False``: the indexers are not told; the caller
    indexes the ``changed`` posts itself (the importer does it inside the batch's
    transaction, so a killed run leaves no committed post unindexed). Returns a
    :class:`BulkResult`."""
    _require_import(trust)
    rows: list[dict[str, Any]] = [dict(v) for v in values]
    for row in rows:
        row["html"] = post_html(row["source"], row["format"], existing.get(row[key]))
        row["renderer_version"] = markup.RENDERER_VERSION
    changed = _changed_keys(key, rows, existing)
    created, updated = upsert_rows(
        Post, key, rows, existing, batch_size=batch_size, plain_insert=True
    )
    if changed and index:
        transaction.on_commit(lambda: _index(key, changed))
    return BulkResult(len(created), updated, changed)


def _index(key: str, keys: list[Any]) -> None:
    hooks.posts_imported(Post.objects.filter(**{f"{key}__in": keys}).values_list("pk", flat=True))


def recount_threads(thread_ids: Iterable[int], *, trust: Trust) -> None:
    """Recompute replies, top floor and last post of ``thread_ids`` from their rows (as
    ``luntan rebuild_counters`` does, so replies written on the site since an earlier
    import are kept). ``trust=Trust.IMPORT`` only."""
    _require_import(trust)
    rebuild_thread_counters(list(thread_ids))
