"""Search pages: ``/search/`` (posts) and ``/search/users/`` (members by name)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from luntan.boards.models import Board, ThreadType
from luntan.permissions import filter_boards_queryset
from luntan.permissions.viewer import ViewerRequest
from luntan.search.forms import SearchForm
from luntan.search.ratelimit import allow_search, search_interval
from luntan.search.service import search_posts
from luntan.search.text import fold, to_traditional

MAX_USERS = 50


def _rate_limited(request: HttpRequest) -> HttpResponse:
    response = render(
        request, "search/rate_limited.html", {"interval": search_interval()}, status=429
    )
    response["Retry-After"] = str(search_interval())
    return response


def search(request: ViewerRequest) -> HttpResponse:
    """Search posts: ``?q=&scope=title|full&board=&author=&after=&before=&type=&order=&page=``.

    Renders ``search/results.html``; 429 with a message when searching too often.
    """
    form = SearchForm(request.GET)
    wanted = form.to_request()
    page = None
    if wanted.q:
        if not allow_search(request):
            return _rate_limited(request)
        page = search_posts(wanted, request.viewer)
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    boards = filter_boards_queryset(Board.objects.exclude(kind=Board.Kind.CATEGORY), request.viewer)
    context = {
        "form": form,
        "wanted": wanted,
        "result": page,
        "boards": boards,
        "types": ThreadType.objects.filter(board__in=boards).select_related("board"),
        "page_prefix": "?" + urlencode(params) + ("&" if params else "") + "page=",
    }
    return render(request, "search/results.html", context)


def search_users(request: HttpRequest) -> HttpResponse:
    """Find members whose name contains ``?q=`` as typed, simplified or traditional; ≤ 50.
    NUL and other control characters are dropped (no name holds them; PostgreSQL text
    refuses NUL)."""
    q = "".join(c for c in request.GET.get("q") or "" if c.isprintable()).strip()[:15]
    users = []
    if q:
        if not allow_search(request):
            return _rate_limited(request)
        variants = Q()
        for variant in {q, fold(q), to_traditional(q)}:
            variants |= Q(username__icontains=variant)
        users = list(
            get_user_model()
            .objects.filter(is_active=True)
            .filter(variants)
            .order_by("username")[:MAX_USERS]
        )
    return render(request, "search/users.html", {"q": q, "users": users})
