"""The administrators' pages on the forum itself (namespace ``siteadmin``)."""

from django.urls import re_path

from luntan.siteadmin import views

app_name = "siteadmin"

urlpatterns = [
    re_path(r"^admin-settings/$", views.site_settings, name="site_settings"),
]
