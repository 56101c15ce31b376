"""``/robots.txt``: crawlers are welcome on what guests read, kept out of member,
posting, moderation and search pages, and pointed at ``/sitemap.xml``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

#: Paths no crawler needs (member, posting, moderation, search and API pages).
DISALLOW = (
    "/accounts/",
    "/admin/",
    "/api/",
    "/favorites/",
    "/healthz",
    "/i18n/",
    "/metrics",
    "/mod/",
    "/preview/",
    "/search/",
    "/f/*/new/",
    "/f/*/favorite/",
    "/t/*/reply/",
    "/t/*/favorite/",
    "/t/*/poll/",
    "/p/*/edit/",
    "/p/*/delete/",
    "/p/*/rate/",
)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """The robots.txt of the site (text/plain), with the absolute sitemap address."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOW)]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('feeds:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
