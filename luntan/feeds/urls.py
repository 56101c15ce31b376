"""Feed, sitemap and robots URLs (namespace ``feeds``): ``/feed/rss/``, ``/feed/atom/``,
``/f/<id>/rss/``, ``/f/<id>/atom/``, ``/sitemap.xml`` (+ ``/sitemap-<section>.xml``),
``/robots.txt``."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from luntan.feeds import feeds, views
from luntan.feeds.sitemaps import SITEMAPS

app_name = "feeds"

urlpatterns = [
    re_path(r"^feed/rss/$", feeds.SiteFeed(), name="site_rss"),
    re_path(r"^feed/atom/$", feeds.SiteAtomFeed(), name="site_atom"),
    re_path(r"^f/(?P<pk>[0-9]{1,18})/rss/$", feeds.BoardFeed(), name="board_rss"),
    re_path(r"^f/(?P<pk>[0-9]{1,18})/atom/$", feeds.BoardAtomFeed(), name="board_atom"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "feeds:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
]
