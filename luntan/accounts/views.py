"""Member pages: the public profile (/u/<id>/)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from luntan.accounts.models import User


def profile(request: HttpRequest, pk: str) -> HttpResponse:
    """A member's public profile: username, usergroup, post and thread counts, join date.

    One query (the member with their group). Unknown or inactive members give 404.
    """
    member = get_object_or_404(
        User.objects.select_related("group").only(
            "id",
            "username",
            "posts",
            "threads",
            "credits",
            "custom_title",
            "date_joined",
            "last_login",
            "is_active",
            "group__id",
            "group__name",
            "group__color",
        ),
        pk=int(pk),
        is_active=True,
    )
    return render(request, "accounts/profile.html", {"member": member})


class LoginView(auth_views.LoginView):
    """Django's login view in the site layout.

    Django puts its own ``site``/``site_name`` (the sites framework's) into the context,
    which would hide the site settings the layout reads as ``site``; they are dropped.
    """

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):  # noqa: D102
        context = super().get_context_data(**kwargs)
        context.pop("site", None)
        context.pop("site_name", None)
        return context
