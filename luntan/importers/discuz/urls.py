"""Discuz! legacy URLs (namespace ``discuz``): 301s to the imported rows' new pages."""

from django.urls import re_path

from luntan.importers.discuz import legacy_views as views

app_name = "discuz"

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
    re_path(r"^member\.php$", views.legacy_member_php, name="legacy-member-php"),
    re_path(r"^search\.php$", views.legacy_search_php, name="legacy-search-php"),
    re_path(r"^space-uid-(?P<uid>[0-9]+)\.html$", views.legacy_space, name="legacy-space-html"),
]
