"""URLs under ``/search/``."""

from django.urls import path

from luntan.search import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("users/", views.search_users, name="users"),
]
