"""``/sitemap.xml`` (an index) and its sections, with :mod:`django.contrib.sitemaps`:
the boards and the threads a guest may read (:mod:`luntan.feeds.queries`), nothing
else — no member pages, no search, no posting forms."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from luntan.feeds import queries


class BoardSitemap(Sitemap):
    """Boards whose threads a guest may read."""

    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return queries.guest_boards()

    def location(self, item) -> str:
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.last_post_at


class ThreadSitemap(Sitemap):
    """Threads a guest may read (their first page), 5,000 a sitemap page; ``lastmod`` is
    the last reply."""

    changefreq = "daily"
    priority = 0.5
    limit = 5000

    def items(self):
        return queries.guest_threads().only("pk", "last_post_at", "board_id")

    def location(self, item) -> str:
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.last_post_at


SITEMAPS = {"boards": BoardSitemap, "threads": ThreadSitemap}
