"""Credits URLs: the rules page (积分规则, ``/credits/rules/``) and rating a post
(评分, ``/p/<id>/rate/``). Namespace ``credits``."""

from django.urls import re_path

from luntan.credits import views

app_name = "credits"

urlpatterns = [
    re_path(r"^credits/rules/$", views.rules, name="rules"),
    re_path(r"^p/(?P<pk>[0-9]{1,18})/rate/$", views.rate, name="rate"),
]
