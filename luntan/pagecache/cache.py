"""Guest pages from the shared cache: the board index, board pages and thread pages.

A guest's page is the same for every guest who asks in the same language and time zone,
so :class:`GuestPageCacheMiddleware` keeps it in Django's cache (Redis when ``REDIS_URL``
is set, shared by every app server; local memory otherwise) under the site's content
generation (:mod:`luntan.pagecache.generation`): any committed write — a reply, an edit,
a moderation action, a permission or settings change — starts a new generation, so a guest
never sees a page older than the last write. Entries expire after
``LUNTAN_PAGE_CACHE_SECONDS`` (default 60; 0 turns the cache off).

Only plain guests are served from the cache: ``GET``/``HEAD`` of ``/``, ``/f/<id>/`` and
``/t/<id>/`` (any query string, part of the key) from a request that carries no session
cookie and no cookie other than the CSRF and language ones, answered 200 with
HTML and no cookie of its own. Members, guests with a session (a board unlocked by
password, a message waiting) and everything else go through the views as before. The
CSRF token of a cached page is replaced by the requester's own on every hit, and a hit on
a thread page still counts the view (:func:`luntan.threads.view_counts.record_view`).
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from luntan.pagecache import generation
from luntan.threads import view_counts

_PATHS = re.compile(r"^/(?:|f/[0-9]{1,18}/|t/(?P<thread>[0-9]{1,18})/)$")
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = b"\x00luntan-csrf\x00"
#: Header telling whether a page came from the cache (HIT/MISS), for tests and operators.
HEADER = "X-Luntan-Page-Cache"


def seconds() -> int:
    """How long a cached guest page is kept, seconds (``LUNTAN_PAGE_CACHE_SECONDS``)."""
    return int(getattr(settings, "LUNTAN_PAGE_CACHE_SECONDS", 60))


def _allowed_cookies() -> frozenset[str]:
    return frozenset({settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME})


def cacheable_request(request: HttpRequest) -> re.Match | None:
    """The path match when ``request`` may be answered from the cache (see the module)."""
    if request.method not in ("GET", "HEAD") or seconds() <= 0:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    if set(request.COOKIES) - _allowed_cookies():
        return None
    return _PATHS.match(request.path_info)


def page_key(request: HttpRequest) -> str:
    """The cache key of ``request``'s page: generation, path and query, language, zone."""
    raw = "\n".join(
        (
            generation.current(),
            request.path_info,
            request.META.get("QUERY_STRING", ""),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
        )
    )
    return "luntan:page:" + hashlib.sha256(raw.encode()).hexdigest()


class GuestPageCacheMiddleware:
    """Serve plain guests' index, board and thread pages from the cache (see the module).
    Sits last in ``MIDDLEWARE``: IP bans, language and time zone are decided before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = cacheable_request(request)
        if match is None or getattr(request, "user", None) is None:
            return self.get_response(request)
        if request.user.is_authenticated:
            return self.get_response(request)
        key = page_key(request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            if _PLACEHOLDER in content:
                content = content.replace(_PLACEHOLDER, get_token(request).encode())
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "HIT"
            if match.group("thread"):
                view_counts.record_view(int(match.group("thread")), request)
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
            and not response.has_header("Cache-Control")
        ):
            content = _TOKEN.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in ("content-length", "set-cookie", HEADER.lower())
            ]
            cache.set(key, (content, headers), timeout=seconds())
            response[HEADER] = "MISS"
        return response
