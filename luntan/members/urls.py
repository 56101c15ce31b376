"""Member pages (namespace ``members``): the public profile (``/u/<id>/``) and the avatar
upload of the settings page (``/accounts/settings/avatar/``, POST)."""

from django.urls import re_path

from luntan.members import views

app_name = "members"

urlpatterns = [
    re_path(r"^u/(?P<pk>[0-9]{1,18})/$", views.profile, name="profile"),
    re_path(r"^accounts/settings/avatar/$", views.avatar, name="avatar"),
]
