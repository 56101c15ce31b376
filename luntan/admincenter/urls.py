"""URLs of the 管理中心 (namespace ``admincenter``), under ``/admin-center/``."""

from django.urls import path

from luntan.admincenter import views, views_boards

app_name = "admincenter"

urlpatterns = [
    path("", views.home, name="home"),
    path("confirm/", views.confirm, name="confirm"),
    path("global/", views.global_settings, name="global"),
    path("global/test-mail/", views.test_mail, name="test_mail"),
]

urlpatterns += [
    path("boards/", views_boards.board_tree, name="boards"),
    path("boards/<int:pk>/", views_boards.board_detail, name="board"),
    path("boards/<int:pk>/order/", views_boards.board_order, name="board_order"),
]
