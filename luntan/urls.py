"""Root URL configuration; see the URL table in DESIGN.md."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
]
