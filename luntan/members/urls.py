"""Member pages (namespace ``members``): the public profile (``/u/<id>/``)."""

from django.urls import re_path

from luntan.members import views

app_name = "members"

urlpatterns = [
    re_path(r"^u/(?P<pk>[0-9]{1,18})/$", views.profile, name="profile"),
]
