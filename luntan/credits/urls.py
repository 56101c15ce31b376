"""Credits URLs under /credits/ (the rules page)."""

from django.urls import path

from luntan.credits import views

urlpatterns = [path("rules/", views.rules, name="credit-rules")]
