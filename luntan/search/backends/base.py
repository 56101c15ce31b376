"""The interface every search backend implements, and helpers shared by the SQL backends."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import QuerySet

from luntan.search.query import ParsedQuery

# Relevance × (1 + RECENCY_BOOST / (1 + age_in_days / RECENCY_DAYS)): a post written today
# ranks 1.5× its text relevance, one RECENCY_DAYS old 1.25×, a year old about 1.1×.
RECENCY_BOOST = 0.5
RECENCY_DAYS = 90.0


@dataclass(frozen=True)
class IndexDoc:
    """One post's index entry: folded, space-separated tokens of its title and body.

    ``title`` is the thread subject's tokens for the OP (floor 1) and ``""`` for replies.
    """

    post_id: int
    title: str
    body: str


@dataclass(frozen=True)
class SearchResult:
    """One page of matches: ``post_ids`` in rank order and ``total`` matches (capped)."""

    post_ids: list[int]
    total: int


class SearchBackend(ABC):
    """Stores index documents and answers parsed queries.

    ``search`` receives ``candidates``, a queryset of :class:`~luntan.threads.models.Post`
    already narrowed by filters and by
    :func:`luntan.search.permissions.filter_searchable_posts`; a backend must return only
    posts from it.
    """

    @abstractmethod
    def upsert(self, docs: Sequence[IndexDoc]) -> None:
        """Insert or replace the entries of ``docs`` (one per post id)."""

    @abstractmethod
    def remove(self, post_ids: Iterable[int]) -> None:
        """Delete the entries of ``post_ids`` (missing ones are ignored)."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every entry."""

    @abstractmethod
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
        """Return the posts of ``candidates`` matching ``query``.

        ``order`` is ``"relevance"`` (text relevance with a recency boost relative to
        ``now``) or ``"time"`` (newest first). ``offset``/``limit`` select the page.
        Only the newest ``max_total`` matches (by post id) are considered: ``total`` is
        at most ``max_total`` and no page beyond it is served.
        """

    @abstractmethod
    def count(self) -> int:
        """Number of entries in the index."""

    def size_bytes(self) -> int | None:
        """Bytes the index takes on disk, or None when the backend cannot tell."""
        return None


def rank_and_page(
    rows: Sequence[tuple[int, datetime | str, float]],
    *,
    order: str,
    offset: int,
    limit: int,
    now: datetime,
) -> SearchResult:
    """Order fetched matches and cut one page.

    ``rows`` are ``(post_id, created, relevance)`` (``created`` aware, naive UTC or
    ISO text in UTC as SQLite gives it; relevance ≥ 0, higher is better) already in
    time order for ``order="time"``. For ``"relevance"`` the score is
    relevance × (1 + RECENCY_BOOST / (1 + age_days / RECENCY_DAYS)), ties newest first.
    """
    if order != "time":

        def score(row: tuple[int, datetime | str, float]) -> tuple[float, int]:
            created = row[1]
            if isinstance(created, str):
                created = datetime.fromisoformat(created)
            if created.tzinfo is None:  # SQLite gives naive UTC
                created = created.replace(tzinfo=UTC)
            age_days = max(0.0, (now - created).total_seconds() / 86_400)
            return (row[2] * (1 + RECENCY_BOOST / (1 + age_days / RECENCY_DAYS)), row[0])

        rows = sorted(rows, key=score, reverse=True)
    return SearchResult([row[0] for row in rows[offset : offset + limit]], len(rows))


def candidate_sql(candidates: QuerySet) -> tuple[str, tuple]:
    """SQL and parameters selecting ``id`` and ``created`` of the candidate posts."""
    sql, params = candidates.values("id", "created").query.sql_with_params()
    return sql, tuple(params)
