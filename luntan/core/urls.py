"""Site-wide URLs (namespace ``core``): legacy Discuz! redirects, the Archiver, site settings."""

from django.urls import re_path

from luntan.core import site_settings, views

app_name = "core"

urlpatterns = [
    re_path(r"^forum\.php$", views.legacy_forum_php, name="legacy-forum-php"),
    re_path(
        r"^thread-(?P<tid>[0-9]+)-(?P<page>[0-9]+)-(?P<extra>[0-9]+)\.html$",
        views.legacy_thread_html,
        name="legacy-thread-html",
    ),
    re_path(
        r"^forum-(?P<fid>[0-9]+)-(?P<page>[0-9]+)\.html$",
        views.legacy_forum_html,
        name="legacy-forum-html",
    ),
    re_path(r"^home\.php$", views.legacy_space, name="legacy-home-php"),
    re_path(r"^space-uid-(?P<uid>[0-9]+)\.html$", views.legacy_space, name="legacy-space-html"),
    re_path(r"^archiver/$", views.archiver_index, name="archiver"),
    re_path(r"^archiver/f/(?P<pk>[0-9]{1,18})/$", views.archiver_board, name="archiver-board"),
    re_path(r"^archiver/t/(?P<pk>[0-9]{1,18})/$", views.archiver_thread, name="archiver-thread"),
    re_path(r"^admin-settings/$", site_settings.site_settings, name="site_settings"),
]
