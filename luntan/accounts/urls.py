"""Account URLs (namespace ``accounts``): the settings page (``/accounts/settings/``); the
member profile (``/u/<id>/``) is in :mod:`luntan.members.urls`. django-allauth's own URLs (login, signup, logout, password
reset, e-mail confirmation, third-party logins) are included beside these by
:mod:`luntan.urls` under ``/accounts/`` with allauth's names (``account_login`` …)."""

from django.urls import re_path

from luntan.accounts import views

app_name = "accounts"

urlpatterns = [
    re_path(r"^accounts/settings/$", views.account_settings, name="settings"),
    re_path(
        r"^avatar/(?P<uid>[0-9]{1,18})/(?P<size>small|middle|big)\.svg$",
        views.default_avatar,
        name="default_avatar",
    ),
    # Uploaded avatars on local storage (MEDIA_URL /media/); with S3 the storage's own
    # URLs are used and this route is not reached.
    re_path(
        r"^media/(?P<path>avatars/[0-9]{3}/[0-9]{2}/[0-9]{2}/[0-9]{2}_[0-9a-f]{10}_(?:small|middle|big)\.jpg)$",
        views.stored_avatar,
        name="stored_avatar",
    ),
]
