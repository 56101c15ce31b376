"""The search use case: filters + permission rule + backend query + result rows.

Views and the API call :func:`search_posts` with a :class:`SearchRequest`; they never
talk to a backend directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString

from luntan.boards.models import Board
from luntan.search.backends import get_backend
from luntan.search.highlight import highlight, snippet
from luntan.search.permissions import filter_searchable_posts
from luntan.search.query import ParsedQuery, parse_query
from luntan.search.text import plain_text
from luntan.threads.models import Post

PER_PAGE = 20
MAX_PAGE = 50  # deeper pages are not served (as Discuz!'s result cap)
MAX_TOTAL = MAX_PAGE * PER_PAGE  # matches counted at most; "1000+" beyond


@dataclass(frozen=True)
class SearchRequest:
    """What to search for.

    ``scope`` is ``"full"`` (subject and body) or ``"title"`` (thread subjects only, the
    OP is returned); ``board_id`` includes its sub-boards; ``author`` is an exact user
    name (anonymous posts never match it); ``after``/``before`` are inclusive dates in
    the site's time zone; ``type_id`` a thread type; ``order`` ``"relevance"`` or
    ``"time"``; ``page`` starts at 1.
    """

    q: str
    scope: str = "full"
    board_id: int | None = None
    author: str = ""
    after: date | None = None
    before: date | None = None
    type_id: int | None = None
    order: str = "relevance"
    page: int = 1


@dataclass
class SearchHit:
    """One result row: the post with its thread and board, and escaped, marked HTML."""

    post: Post
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class SearchPage:
    """One page of results; ``total`` counts matches up to :data:`MAX_TOTAL` (``capped``
    when there may be more), ``pages`` the pages served."""

    request: SearchRequest
    query: ParsedQuery
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    capped: bool = False


def board_with_descendants(board_id: int) -> list[int]:
    """``board_id`` and the ids of every board below it in the tree."""
    ids = [board_id]
    frontier = [board_id]
    while frontier:
        frontier = list(Board.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [i for i in frontier if i not in ids]
        ids.extend(frontier)
    return ids


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def candidate_posts(request: SearchRequest, user) -> QuerySet[Post]:
    """Posts the filters of ``request`` allow and ``user`` may find (not yet matched)."""
    posts = Post.objects.all()
    if request.scope == "title":
        posts = posts.filter(floor=1)
    if request.board_id:
        posts = posts.filter(thread__board_id__in=board_with_descendants(request.board_id))
    if request.author:
        posts = posts.filter(author_name=request.author, is_anonymous=False)
    if request.after:
        posts = posts.filter(created__gte=_day_start(request.after))
    if request.before:
        posts = posts.filter(created__lt=_day_start(request.before + timedelta(days=1)))
    if request.type_id:
        posts = posts.filter(thread__type_id=request.type_id)
    return filter_searchable_posts(posts, user)


def search_posts(request: SearchRequest, user, *, now: datetime | None = None) -> SearchPage:
    """Run ``request`` for ``user``; returns a :class:`SearchPage` (empty for an empty query).

    Page numbers beyond :data:`MAX_PAGE` are clamped. ``now`` (aware) anchors the
    recency boost and defaults to the current time.
    """
    query = parse_query(request.q)
    result = SearchPage(request=request, query=query)
    if query.is_empty:
        return result
    page = max(1, min(request.page, MAX_PAGE))
    found = get_backend().search(
        query,
        candidate_posts(request, user),
        title_only=request.scope == "title",
        order="time" if request.order == "time" else "relevance",
        offset=(page - 1) * PER_PAGE,
        limit=PER_PAGE,
        now=now or timezone.now(),
        max_total=MAX_TOTAL,
    )
    result.total = found.total
    result.capped = found.total >= MAX_TOTAL
    result.page = page
    result.pages = min(MAX_PAGE, -(-found.total // PER_PAGE))
    posts = Post.objects.select_related("thread", "thread__board", "thread__type").in_bulk(
        found.post_ids
    )
    terms = query.highlight
    for post_id in found.post_ids:
        post = posts.get(post_id)
        if post is None:
            continue
        text = plain_text(post.source, post.format)
        result.hits.append(
            SearchHit(post, highlight(post.thread.subject, terms), snippet(text, terms))
        )
    return result
