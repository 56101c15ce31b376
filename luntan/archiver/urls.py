"""The Archiver's URLs (namespace ``archiver``)."""

from django.urls import re_path

from luntan.archiver import views

app_name = "archiver"

urlpatterns = [
    re_path(r"^archiver/$", views.archiver_index, name="index"),
    re_path(r"^archiver/f/(?P<pk>[0-9]{1,18})/$", views.archiver_board, name="board"),
    re_path(r"^archiver/t/(?P<pk>[0-9]{1,18})/$", views.archiver_thread, name="thread"),
]
