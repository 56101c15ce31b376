"""Unread URLs (namespace ``unread``): ``/new/`` (新帖 / 最新回复), ``/t/<id>/unread/``,
``/f/<id>/mark-read/`` and ``/mark-read/``."""

from django.urls import re_path

from luntan.unread import views

app_name = "unread"

urlpatterns = [
    re_path(r"^new/$", views.recent, name="recent"),
    re_path(r"^t/(?P<pk>[0-9]{1,18})/unread/$", views.jump, name="jump"),
    re_path(r"^f/(?P<pk>[0-9]{1,18})/mark-read/$", views.mark_board, name="mark_board"),
    re_path(r"^mark-read/$", views.mark_all, name="mark_all"),
]
