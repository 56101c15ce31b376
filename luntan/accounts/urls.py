"""Account pages (minimal until django-allauth replaces them): log in, log out.

``/accounts/signup/`` is linked from the layout but not served yet (the accounts work
adds registration).
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from luntan.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
