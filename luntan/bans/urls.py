from django.urls import re_path

from luntan.bans import views

app_name = "bans"

urlpatterns = [
    re_path(r"^bans/$", views.ban_list, name="list"),
    re_path(r"^bans/ip/$", views.ip_bans, name="ip"),
    re_path(r"^bans/(?P<pk>[0-9]{1,18})/lift/$", views.lift, name="lift"),
    re_path(r"^u/(?P<pk>[0-9]{1,18})/ban/$", views.ban_member, name="member"),
]
