"""Live reply URLs (namespace ``live``): ``/live/t/<id>/`` (server-sent events)."""

from django.urls import re_path

from luntan.live import views

app_name = "live"

urlpatterns = [
    re_path(r"^live/t/(?P<pk>[0-9]{1,18})/$", views.stream, name="stream"),
]
