"""Thread pages, reading mode and post permalinks."""

from django.urls import re_path

from luntan.threads import views

urlpatterns = [
    re_path(r"^t/(?P<pk>[0-9]{1,18})/$", views.thread, name="thread"),
    re_path(r"^t/(?P<pk>[0-9]{1,18})/read/$", views.read_mode, name="thread-read"),
    re_path(r"^p/(?P<pk>[0-9]{1,18})/$", views.permalink, name="post"),
]
