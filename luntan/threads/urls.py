"""Thread pages, reading mode, post permalinks and the posting pages."""

from django.urls import path, re_path

from luntan.threads import views, views_passwords, views_posting

app_name = "threads"

urlpatterns = [
    re_path(r"^t/(?P<pk>[0-9]{1,18})/$", views.thread, name="thread"),
    re_path(r"^t/(?P<pk>[0-9]{1,18})/read/$", views.read_mode, name="read"),
    re_path(r"^p/(?P<pk>[0-9]{1,18})/$", views.permalink, name="post"),
    re_path(r"^f/(?P<pk>[0-9]{1,18})/new/$", views_posting.new_thread, name="new"),
    re_path(r"^t/(?P<pk>[0-9]{1,18})/reply/$", views_posting.reply, name="reply"),
    re_path(r"^p/(?P<pk>[0-9]{1,18})/edit/$", views_posting.edit, name="edit"),
    re_path(r"^p/(?P<pk>[0-9]{1,18})/delete/$", views_posting.delete, name="delete"),
    re_path(r"^p/(?P<pk>[0-9]{1,18})/revisions/$", views_posting.revisions, name="revisions"),
    re_path(
        r"^p/(?P<pk>[0-9]{1,18})/password/$", views_passwords.post_password, name="post_password"
    ),
    path("preview/", views_posting.preview, name="preview"),
]
