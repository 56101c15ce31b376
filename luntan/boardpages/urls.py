"""Board index and board pages."""

from django.urls import re_path

from luntan.boardpages import views

# The namespace names the pages (``boards:index``, ``boards:board``), as the URL table of
# DESIGN.md does; the views live here, above ``boards``, because they read threads.
app_name = "boards"

urlpatterns = [
    re_path(r"^$", views.index, name="index"),
    # Ids are matched to 18 digits so a crafted huge number is a 404, not an overflow.
    re_path(r"^f/(?P<pk>[0-9]{1,18})/$", views.board, name="board"),
]
