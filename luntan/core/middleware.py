"""Request middleware: measured footer statistics and the viewer's time zone."""

from __future__ import annotations

import re
import time
import zoneinfo

from django.conf import settings
from django.db import connections
from django.utils import timezone

from luntan.core.models import site_time_zone

STATS_MARKER = b"<!--luntan:stats-->"
GZIP_MIN_LENGTH = 200  # GZipMiddleware leaves shorter bodies alone
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # the test GZipMiddleware itself makes


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestStatsMiddleware:
    """Fill the footer's ``Processed in X second(s), N queries, Gzip On`` line.

    Like Discuz!'s footer (``debuginfo()``), the figures are measured for this request:
    wall time in seconds from this middleware to the end of rendering, the number of SQL
    queries run on every database connection, and whether the response will be gzipped
    (the client accepts gzip and the body is long enough for ``GZipMiddleware``, which sits
    outside this one). Templates put ``<!--luntan:stats-->`` where the line goes.

    The figures could tell an attacker whether an account exists (a failed log-in for an
    existing name runs more queries than one for an unknown name), so on the account
    pages (``settings.LUNTAN_PRIVATE_STATS_PREFIXES``, default ``/accounts/``) the line
    only says ``Gzip On``/``Off``. The ``X-Queries`` response header (the query count,
    read by ``bench/``) is a debugging header: sent only with
    ``settings.LUNTAN_DEBUG_HEADERS`` (env ``LUNTAN_DEBUG_HEADERS=1``, or ``DEBUG``), and
    never on the account pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        counter = _QueryCounter()
        request._luntan_stats = (started, counter)
        wrappers = [connections[alias].execute_wrapper(counter) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        private = _private(request)
        if (
            not response.streaming
            and not response.has_header("Content-Encoding")
            and response.get("Content-Type", "").startswith("text/html")
            and STATS_MARKER in response.content
        ):
            line = stats_line(request, len(response.content))
            response.content = response.content.replace(STATS_MARKER, line, 1)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        if getattr(settings, "LUNTAN_DEBUG_HEADERS", False) and not private:
            response["X-Queries"] = str(counter.count)
        return response


def _private(request) -> bool:
    return request.path.startswith(
        tuple(getattr(settings, "LUNTAN_PRIVATE_STATS_PREFIXES", ("/accounts/",)))
    )


def stats_line(request, length: int) -> bytes:
    """The footer line for ``request`` so far (:class:`RequestStatsMiddleware`), for a
    body of ``length`` bytes: ``Processed in X second(s), N queries , Gzip On`` (only the
    Gzip part on private pages). Used by the middleware and by a response that compresses
    its own body before the middleware sees it (the guest page cache)."""
    started, counter = getattr(request, "_luntan_stats", (time.perf_counter(), _QueryCounter()))
    gzip_on = (
        _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) is not None
        and length >= GZIP_MIN_LENGTH
    )
    if _private(request):
        return "Gzip {}".format("On" if gzip_on else "Off").encode()
    elapsed = time.perf_counter() - started
    return "Processed in {:.6f} second(s), {} queries , Gzip {}".format(
        elapsed, counter.count, "On" if gzip_on else "Off"
    ).encode()


class ViewerTimezoneMiddleware:
    """Show times in the viewer's time zone.

    A signed-in member's ``time_zone`` (IANA name) wins; otherwise the site's
    ``TIME_ZONE`` (default ``Asia/Shanghai``, GMT+8). Guests without a session cookie cause
    no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = ""
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                tz_name = user.time_zone

        zone = site_time_zone()
        if tz_name:
            try:
                zone = zoneinfo.ZoneInfo(tz_name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass
        timezone.activate(zone)
        return self.get_response(request)


class SiteLanguageMiddleware:
    """Choose the interface language: the visitor's explicit choice, else the site's.

    A luntan site speaks Simplified Chinese (``LANGUAGE_CODE``) to everyone, as a Discuz!
    site does, whatever the browser's ``Accept-Language`` says; a visitor who picks
    English with the footer's language switch (Django's ``set_language`` view, which sets
    the ``LANGUAGE_COOKIE_NAME`` cookie) gets English. Replaces Django's LocaleMiddleware,
    which would follow ``Accept-Language`` and show a half-translated page to every
    visitor whose browser is set to English.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        from django.utils.cache import patch_vary_headers

        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
