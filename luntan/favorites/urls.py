"""Favourite and follow URLs (namespace ``favorites``): ``/favorites/`` (我的收藏),
``/t/<id>/favorite/`` and ``/f/<id>/favorite/``."""

from django.urls import re_path

from luntan.favorites import views

app_name = "favorites"

urlpatterns = [
    re_path(r"^favorites/$", views.mine, name="mine"),
    re_path(r"^t/(?P<pk>[0-9]{1,18})/favorite/$", views.thread_favorite, name="thread"),
    re_path(r"^f/(?P<pk>[0-9]{1,18})/favorite/$", views.board_favorite, name="board"),
]
