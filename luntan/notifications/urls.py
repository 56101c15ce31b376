"""Notification URLs (namespace ``notifications``): ``/notifications/`` (提醒),
``/notifications/read/`` (标为已读, POST), ``/notifications/settings/`` (提醒设置) and
``/notifications/unsubscribe/<token>/`` (退订, from the mails)."""

from django.urls import path

from luntan.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notices, name="list"),
    path("notifications/read/", views.mark_read, name="read"),
    path("notifications/settings/", views.preferences, name="settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
