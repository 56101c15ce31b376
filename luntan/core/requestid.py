"""Request ids and structured (JSON lines) logs.

:class:`RequestIdMiddleware` gives every request an id: the ``X-Request-ID`` header set by
the proxy (nginx: ``proxy_set_header X-Request-ID $request_id;``) when it is 1–64 letters,
digits, ``-`` or ``_``, else a new random one (32 hex digits). The id is sent back in the
response's ``X-Request-ID`` header and put on every log record made while the request is
handled (:class:`RequestIdFilter`, field ``request_id``; ``-`` outside a request).

With ``LUNTAN_LOG_FORMAT=json`` (``luntan/settings.py``) each log record is one JSON
object per line (python-json-logger): ``time`` (server time, ``YYYY-MM-DD
HH:MM:SS,mmm``), ``level``, ``logger``,
``message``, ``request_id`` and any ``extra`` fields, plus ``exc_info`` for exceptions.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9_-]{1,64}")
current: ContextVar[str] = ContextVar("luntan_request_id", default="-")


def request_id_for(request) -> str:
    """The id of ``request``: its valid ``X-Request-ID`` header or a new uuid4 hex."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _VALID.fullmatch(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Set ``request.request_id`` and the logging context; echo the id in the response."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id_for(request)
        request.request_id = rid
        token = current.set(rid)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = rid
        return response


class RequestIdFilter(logging.Filter):
    """Add ``request_id`` (the current request's id, or ``-``) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get()
        return True
