"""Attachment URLs: /attachments/<id>/, /attachments/<id>/thumb/, /attachments/upload/."""

from django.urls import path, re_path

from luntan.attachments import views

app_name = "attachments"

urlpatterns = [
    path("attachments/upload/", views.upload, name="upload"),
    re_path(r"^attachments/(?P<pk>[0-9]{1,18})/$", views.download, name="download"),
    re_path(r"^attachments/(?P<pk>[0-9]{1,18})/thumb/$", views.thumbnail, name="thumb"),
]
