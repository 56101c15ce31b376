"""The ceiling: a bare Django view returning a 48 KB HTML page, served like luntan.

``gunicorn bench._bare:application`` runs Django (the same version, the same WSGI handler
and gunicorn worker as ``luntan.wsgi``) with no middleware, no database, no template:
one view that returns a prebuilt 48 KB page. ``bench_scale`` loads it in the same rounds
as luntan's pages, so "page req/s ÷ bare req/s" says how close a page is to what the
framework and server can do at all on this machine at that moment.
"""

from __future__ import annotations

import django
from django.conf import settings

PAGE_BYTES = 48 * 1024

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-bare-view",  # noqa: S106 - a throwaway key for a local benchmark
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
        USE_TZ=True,
    )
    django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

_ROW = "<tr><td>论坛帖子标题示例</td><td>作者</td><td>2026-12-03 10:00</td></tr>\n".encode()
_HEAD = b"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>bare</title></head><body><table>\n"  # fmt: skip
_TAIL = b"</table></body></html>"
_ROOM = PAGE_BYTES - len(_HEAD) - len(_TAIL)
_BODY = _HEAD + _ROW * (_ROOM // len(_ROW)) + b" " * (_ROOM % len(_ROW)) + _TAIL


def bare(request):
    """Return the prebuilt 48 KB page (text/html, utf-8)."""
    return HttpResponse(_BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("", bare)]

application = get_wsgi_application()

#: The same view behind Django's ASGI handler, for gunicorn's uvicorn worker (the app
#: servers' stack): ``gunicorn bench._bare:asgi_application -k uvicorn_worker.UvicornWorker``.
from django.core.handlers.asgi import ASGIHandler  # noqa: E402

asgi_application = ASGIHandler()
