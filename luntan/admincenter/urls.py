"""URLs of the 管理中心 (namespace ``admincenter``), under ``/admin-center/``."""

from django.urls import path

from luntan.admincenter import (
    views,
    views_boards,
    views_content,
    views_members,
    views_operations,
    views_tools,
)

app_name = "admincenter"

urlpatterns = [
    path("", views.home, name="home"),
    path("confirm/", views.confirm, name="confirm"),
    path("global/", views.global_settings, name="global"),
    path("global/test-mail/", views.test_mail, name="test_mail"),
    path("global/mail/", views.mail_settings, name="mail_settings"),
]

urlpatterns += [
    path("boards/", views_boards.board_tree, name="boards"),
    path("boards/<int:pk>/", views_boards.board_detail, name="board"),
    path("boards/<int:pk>/order/", views_boards.board_order, name="board_order"),
    path("members/", views_members.member_search, name="members"),
    path("members/<int:pk>/", views_members.member_detail, name="member"),
    path("members/pending/", views_members.registrations, name="registrations"),
    path("groups/", views_members.group_list, name="groups"),
    path("groups/<int:pk>/", views_members.group_detail, name="group"),
    path("operations/", views_operations.operations, name="operations"),
    path("content/", views_content.content, name="content"),
    path("tools/", views_tools.tools, name="tools"),
    path("tools/jobs/<int:pk>/", views_tools.job_status, name="job"),
    path("content/censor-words.txt", views_content.censor_export, name="censor_export"),
]
