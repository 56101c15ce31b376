"""The search index's part of the posting pipeline (registered by
:class:`luntan.search.apps.SearchConfig`): after commit, new, edited and deleted posts are
queued for re-indexing; a bulk import is indexed at once (as before the pipeline)."""

from __future__ import annotations

from luntan import search
from luntan.threads.posting import hooks


class SearchIndexer:
    """:class:`luntan.threads.posting.hooks.Indexer` for :mod:`luntan.search`."""

    def post_changed(self, post_id: int) -> None:
        """Queue ``post_id`` for re-indexing."""
        search.reindex_post(post_id)

    def thread_changed(self, thread_id: int) -> None:
        """Queue every post of ``thread_id`` for re-indexing."""
        search.reindex_thread(thread_id)

    def posts_imported(self, post_ids: list[int]) -> None:
        """Index ``post_ids`` now (the importer's batches)."""
        search.index_posts(post_ids)


INDEXER = SearchIndexer()


def register() -> None:
    """Register :data:`INDEXER` with the posting pipeline."""

    hooks.register_indexer(INDEXER)
