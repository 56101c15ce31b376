"""Poll URLs (namespace ``polls``): ``/t/<id>/poll/vote/`` and ``/t/<id>/poll/voters/``."""

from django.urls import re_path

from luntan.polls import views

app_name = "polls"

urlpatterns = [
    re_path(r"^t/(?P<pk>[0-9]{1,18})/poll/vote/$", views.vote, name="vote"),
    re_path(r"^t/(?P<pk>[0-9]{1,18})/poll/voters/$", views.voters, name="voters"),
]
