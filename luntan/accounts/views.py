"""Member pages: the public profile (/u/<id>/)."""

from __future__ import annotations

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
