"""``GET /search``: the search service of ``/search/`` (:func:`luntan.search.service.
search_posts`), with its permission rule and its interval per member or IP."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field as NinjaField
from ninja import Query

from luntan.api.auth import ApiRequest
from luntan.api.endpoints.common import ERRORS, router
from luntan.api.problems import Problem
from luntan.api.schemas import InputSchema, SearchOut
from luntan.core.parsing import MAX_ID
from luntan.search.ratelimit import allow_search, search_interval
from luntan.search.service import MAX_PAGE, SearchRequest, search_posts

TAGS = ["search"]

EARLIEST, LATEST = date(1970, 1, 1), date(9000, 1, 1)


class SearchQuery(InputSchema):
    q: str = NinjaField(min_length=1, max_length=100)
    scope: Literal["full", "title"] = "full"
    board: int | None = NinjaField(default=None, ge=1, le=MAX_ID)
    author: str = NinjaField(default="", max_length=15)
    after: date | None = None
    before: date | None = None
    type: int | None = NinjaField(default=None, ge=1, le=MAX_ID)
    order: Literal["relevance", "time"] = "relevance"
    page: int = NinjaField(default=1, ge=1, le=MAX_PAGE)


@router.get("/search", tags=TAGS, response={200: SearchOut, **ERRORS}, summary="Search posts")
def search(request: ApiRequest, q: Query[SearchQuery]):
    """Posts matching ``q`` that the caller may read (the rule of ``/search/``: hidden
    boards, password boards and read levels left out), 20 a page, at most 50 pages.
    One search per ``LUNTAN_SEARCH_INTERVAL`` seconds per member or IP (429 with
    ``Retry-After``)."""
    text = "".join(c for c in q.q if c.isprintable()).strip()
    if not text:
        raise Problem(422, "invalid", _("请输入搜索关键字。"))
    for day in (q.after, q.before):
        if day is not None and not (EARLIEST <= day <= LATEST):
            raise Problem(422, "invalid", _("日期超出范围。"))
    if not allow_search(request):
        wait = max(1, search_interval())
        raise Problem(
            429,
            "rate_limited",
            _("搜索太频繁，请 %(n)d 秒后再试。") % {"n": wait},
            headers={"Retry-After": str(wait)},
            retry_after=wait,
        )
    wanted = SearchRequest(
        q=text,
        scope=q.scope,
        board_id=q.board,
        author=q.author.strip(),
        after=q.after,
        before=q.before,
        type_id=q.type,
        order=q.order,
        page=q.page,
    )
    page = search_posts(wanted, request.viewer)
    return {
        "q": text,
        "total": page.total,
        "capped": page.capped,
        "page": page.page,
        "pages": page.pages,
        "hits": [
            {
                "post_id": h.post.pk,
                "thread_id": h.post.thread_id,
                "floor": h.post.floor,
                "board_id": h.post.thread.board_id,
                "board_name": h.post.thread.board.name,
                "subject": h.post.thread.subject,
                "title_html": str(h.title_html),
                "snippet_html": str(h.snippet_html),
                "author_name": _("匿名") if h.post.is_anonymous else h.post.author_name,
                "created": h.post.created,
            }
            for h in page.hits
        ],
    }
