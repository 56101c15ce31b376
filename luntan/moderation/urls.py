"""Moderation URLs under ``/mod/`` (included from :mod:`luntan.urls`)."""

from django.urls import path, re_path

from luntan.moderation import views

_ID = r"(?P<pk>[0-9]{1,18})"

app_name = "mod"

urlpatterns = [
    re_path(rf"^t/{_ID}/move/$", views.move, name="move"),
    re_path(rf"^t/{_ID}/merge/$", views.merge, name="merge"),
    re_path(rf"^t/{_ID}/type/$", views.set_type, name="type"),
    re_path(rf"^t/{_ID}/posts/$", views.posts_action, name="posts"),
    re_path(rf"^t/{_ID}/history/$", views.thread_history, name="history"),
    re_path(rf"^t/{_ID}/(?P<action>[a-z]+)/$", views.thread_action, name="thread"),
    re_path(rf"^p/{_ID}/report/$", views.report, name="report"),
    re_path(rf"^p/{_ID}/(?P<action>[a-z]+)/$", views.post_action, name="post"),
    re_path(rf"^reports/{_ID}/resolve/$", views.resolve_report, name="resolve"),
    re_path(
        rf"^reports/content/{_ID}/resolve/$",
        views.resolve_content_report,
        name="resolve_content",
    ),
    path("recyclebin/", views.recyclebin, name="recyclebin"),
    path("queue/", views.queue, name="queue"),
    path("reports/", views.reports, name="reports"),
    path("log/", views.log, name="log"),
    path("counters/", views.repair_counters, name="counters"),
]
