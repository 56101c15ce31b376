"""Moderation URLs under ``/mod/`` (included from :mod:`luntan.urls`)."""

from django.urls import path, re_path

from luntan.moderation import views

_ID = r"(?P<pk>[0-9]{1,18})"

urlpatterns = [
    re_path(rf"^t/{_ID}/move/$", views.move, name="mod-move"),
    re_path(rf"^t/{_ID}/merge/$", views.merge, name="mod-merge"),
    re_path(rf"^t/{_ID}/type/$", views.set_type, name="mod-type"),
    re_path(rf"^t/{_ID}/posts/$", views.posts_action, name="mod-posts"),
    re_path(rf"^t/{_ID}/history/$", views.thread_history, name="mod-history"),
    re_path(rf"^t/{_ID}/(?P<action>[a-z]+)/$", views.thread_action, name="mod-thread"),
    re_path(rf"^p/{_ID}/report/$", views.report, name="mod-report"),
    re_path(rf"^p/{_ID}/(?P<action>[a-z]+)/$", views.post_action, name="mod-post"),
    re_path(rf"^reports/{_ID}/resolve/$", views.resolve_report, name="mod-resolve"),
    path("recyclebin/", views.recyclebin, name="mod-recyclebin"),
    path("queue/", views.queue, name="mod-queue"),
    path("reports/", views.reports, name="mod-reports"),
    path("log/", views.log, name="mod-log"),
]
