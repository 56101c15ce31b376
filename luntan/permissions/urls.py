from django.urls import re_path

from luntan.permissions import views

app_name = "permissions"

urlpatterns = [
    re_path(r"^f/(?P<pk>[0-9]{1,18})/password/$", views.board_password, name="board_password"),
]
