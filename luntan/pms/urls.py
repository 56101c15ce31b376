"""Private message URLs (namespace ``pms``) under ``/pm/``: the inbox, a conversation,
the new message form, the blacklist settings, reporting and the staff view of a
reported message."""

from django.urls import path, re_path

from luntan.pms import views

app_name = "pms"

_ID = r"(?P<pk>[0-9]{1,18})"

urlpatterns = [
    path("pm/", views.inbox, name="inbox"),
    path("pm/new/", views.compose, name="new"),
    path("pm/settings/", views.settings_page, name="settings"),
    re_path(rf"^pm/{_ID}/$", views.conversation, name="conversation"),
    re_path(rf"^pm/{_ID}/delete/$", views.delete, name="delete"),
    re_path(rf"^pm/{_ID}/members/$", views.add_members, name="add_members"),
    re_path(rf"^pm/{_ID}/leave/$", views.leave, name="leave"),
    re_path(rf"^pm/message/{_ID}/report/$", views.report, name="report"),
    re_path(rf"^pm/message/{_ID}/reported/$", views.reported, name="reported"),
]
