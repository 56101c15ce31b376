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

Hits are normally answered by ``luntan.admincenter.middleware.EarlyGuestPageMiddleware``
near the top of ``MIDDLEWARE`` (:func:`serve_hit`), before sessions, authentication and
the other ~20 middlewares; :class:`GuestPageCacheMiddleware`, last in the chain, stores
the pages that missed (and serves a hit the early one left alone).

A hit for a client that accepts gzip is compressed here, not by ``GZipMiddleware``: the
page's fixed parts are deflated once per process (:func:`_gzip_hit`) and only the
requester's CSRF token and the footer's stats line are added per request, as stored
(uncompressed) deflate blocks — compressing the whole page took a fifth of a hit's CPU.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import struct
import zlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from luntan.core.middleware import GZIP_MIN_LENGTH, STATS_MARKER, stats_line
from luntan.pagecache import generation
from luntan.threads import view_counts

_PATHS = re.compile(r"^/(?:|f/[0-9]{1,18}/|t/(?P<thread>[0-9]{1,18})/)$")
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = b"\x00luntan-csrf\x00"
#: Header telling whether a page came from the cache (HIT/MISS), for tests and operators.
HEADER = "X-Luntan-Page-Cache"


_VARIABLE = re.compile(b"(" + re.escape(_PLACEHOLDER) + b"|" + re.escape(STATS_MARKER) + b")")
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
#: Per process: cache key -> (page content, its fixed parts deflated, the variable parts).
_DEFLATED: dict[str, tuple[bytes, list[bytes], list[bytes], list[bytes]]] = {}
_DEFLATED_MAX = 256


def _deflate(data: bytes, *, final: bool) -> bytes:
    """Raw deflate of ``data`` on its own (no reference to earlier bytes), ending on a byte
    boundary (full flush) so other blocks can follow, or the stream's last block."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
    )


def _stored(data: bytes) -> bytes:
    """``data`` as stored (uncompressed) deflate blocks, not the last ones."""
    out = []
    for i in range(0, len(data), 65_535):
        chunk = data[i : i + 65_535]
        out.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(out)


def _gzip_hit(key: str, content: bytes, request: HttpRequest) -> bytes:
    """``content`` with the requester's CSRF token and stats line put in, gzipped: the
    parts between them deflated once per process and page (kept for the last
    ``_DEFLATED_MAX`` pages), the two put in as stored blocks (a secret never compressed
    beside page text). The gzip header carries Django's random-length name field
    (``GZipMiddleware``'s BREACH mitigation)."""
    memo = _DEFLATED.get(key)
    if memo is None or memo[0] != content:
        pieces = _VARIABLE.split(content)
        texts, marks = pieces[0::2], pieces[1::2]
        deflated = [_deflate(t, final=False) for t in texts[:-1]]
        deflated.append(_deflate(texts[-1], final=True))
        if len(_DEFLATED) >= _DEFLATED_MAX:
            _DEFLATED.pop(next(iter(_DEFLATED)))
        memo = _DEFLATED[key] = (content, deflated, texts, marks)
    _content, deflated, texts, marks = memo
    token = get_token(request).encode() if _PLACEHOLDER in marks else b""
    stats_done = False
    fills = []
    for mark in marks:
        if mark == _PLACEHOLDER:
            fills.append(token)
        elif not stats_done:
            fills.append(stats_line(request, len(content)))
            stats_done = True
        else:
            fills.append(mark)
    crc, size = 0, 0
    body = [
        b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff",
        b"a" * secrets.randbelow(100) + b"\x00",
    ]
    for i, text in enumerate(texts):
        crc, size = zlib.crc32(text, crc), size + len(text)
        if i < len(fills):
            body.append(deflated[i] + _stored(fills[i]))
            crc, size = zlib.crc32(fills[i], crc), size + len(fills[i])
        else:
            body.append(deflated[i])
    body.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(body)


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


#: Request attribute set by a middleware that already looked the page up and missed, so
#: :class:`GuestPageCacheMiddleware` does not ask the cache a second time.
MISSED = "_luntan_page_cache_missed"


def serve_hit(
    request: HttpRequest, match: re.Match, key: str, *, early: bool = False
) -> HttpResponse | None:
    """The cached page under ``key`` for ``request`` (a plain guest's, see
    :func:`cacheable_request`; ``match`` its path match), or ``None`` on a miss.

    Puts the requester's CSRF token in, gzips for a client that accepts it
    (:func:`_gzip_hit`), sets ``X-Luntan-Page-Cache: HIT`` and counts a thread page's view
    (:func:`luntan.threads.view_counts.record_view`, buffered: no query). With ``early``
    the response will not pass through ``RequestStatsMiddleware`` and
    ``SiteLanguageMiddleware``, so the footer's stats line is filled here in every case
    and ``Vary: Cookie`` is added before ``Accept-Encoding`` (the order the full chain
    gives)."""
    stored = cache.get(key)
    if stored is None:
        return None
    content, headers = stored
    long_enough = len(content) >= GZIP_MIN_LENGTH  # GZipMiddleware's own Vary rule
    gzipped = long_enough and _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    if gzipped:
        content = _gzip_hit(key, content, request)
    else:
        if _PLACEHOLDER in content:
            content = content.replace(_PLACEHOLDER, get_token(request).encode())
        if early and STATS_MARKER in content:
            content = content.replace(STATS_MARKER, stats_line(request, len(content)), 1)
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    if early:
        patch_vary_headers(response, ("Cookie",))
    if long_enough:
        patch_vary_headers(response, ("Accept-Encoding",))
    if gzipped:
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response["ETag"] = "W/" + etag
        response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(content))
    response[HEADER] = "HIT"
    if match.group("thread"):
        view_counts.record_view(int(match.group("thread")), request)
    return response


class GuestPageCacheMiddleware:
    """Store plain guests' index, board and thread pages in the cache and serve them (see
    the module). Sits last in ``MIDDLEWARE``: IP bans, language and time zone are decided
    before it. Does not ask the cache again when the early middleware already missed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = cacheable_request(request)
        if match is None or getattr(request, "user", None) is None:
            return self.get_response(request)
        if request.user.is_authenticated:
            return self.get_response(request)
        key = page_key(request)
        if not getattr(request, MISSED, False):
            response = serve_hit(request, match, key)
            if response is not None:
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
