"""Account URLs under ``/accounts/``: django-allauth's (login, signup, logout, password
reset, e-mail confirmation, third-party logins under ``3rdparty/`` and ``<provider>/``)
plus the settings page. ``login``/``logout`` are the short names the layout uses."""

from allauth.account import views as allauth_views
from django.urls import include, path

from luntan.accounts import views

urlpatterns = [
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("settings/", views.account_settings, name="account_settings"),
    path("", include("allauth.urls")),
]
