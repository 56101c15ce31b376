"""Site-wide error pages (400, 404, 500).

The query-parameter parsers live in :mod:`luntan.core.parsing` (re-exported here while
call sites move); the legacy Discuz! redirects in :mod:`luntan.importers.discuz.
legacy_views`, the text archive in :mod:`luntan.archiver`.
"""

from __future__ import annotations

import logging

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static

from luntan.core.parsing import MAX_ID, pages_for, parse_id, parse_page

__all__ = [
    "MAX_ID",
    "bad_request",
    "favicon",
    "page_not_found",
    "pages_for",
    "parse_id",
    "parse_page",
    "server_error",
]

logger = logging.getLogger(__name__)


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``: 301 to the static icon (``core/favicon.ico``), for browsers and
    feed readers that ask for it without reading the pages' ``<link rel="icon">``."""
    return HttpResponsePermanentRedirect(static("core/favicon.ico"))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 page in the site layout."""
    return render(request, "400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 page in the site layout (site name, footer, links home)."""
    try:
        return render(request, "404.html", status=404)
    except Exception:  # the database may be the reason; fall back to the static page
        logger.exception("404 page could not be rendered in the site layout")
        return HttpResponseNotFound(loader.get_template("500.html").render({"not_found": True}))


def server_error(request: HttpRequest) -> HttpResponse:
    """500 page; rendered without a request context, so it needs no database or session."""
    return HttpResponseServerError(loader.get_template("500.html").render({}))
