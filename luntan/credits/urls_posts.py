"""Credits URLs under a post: /p/<id>/rate/ (评分)."""

from django.urls import re_path

from luntan.credits import views

urlpatterns = [re_path(r"^p/(?P<pk>[0-9]{1,18})/rate/$", views.rate, name="post-rate")]
