"""Notification URLs (namespace ``notifications``): ``/notifications/`` (提醒) and
``/notifications/read/`` (标为已读, POST)."""

from django.urls import path

from luntan.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notices, name="list"),
    path("notifications/read/", views.mark_read, name="read"),
]
