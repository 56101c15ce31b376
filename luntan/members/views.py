"""The public profile of a member (``/u/<id>/``)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from luntan.accounts.models import User
from luntan.credits.display import PROFILE_FIELDS, profile_credits
from luntan.permissions import denied_board_ids
from luntan.permissions.viewer import ViewerRequest
from luntan.threads.models import Post, Thread


def profile(request: ViewerRequest, pk: str) -> HttpResponse:
    """A member's public profile: username, usergroup, post and thread counts, join date.

    One query (the member with their group) for administrators and super moderators. The
    post and thread counts shown to anyone else leave out boards the viewer may not see
    (staff-only, hidden, other groups'), so a profile reveals no hidden board's activity:
    for a member who has posted, one query for the boards and, when some are denied, two
    counts over them. Unknown or
    inactive members give 404.
    """
    member = get_object_or_404(
        User.objects.select_related("group", "credit_balance").only(
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
            *PROFILE_FIELDS,
        ),
        pk=int(pk),
        is_active=True,
    )
    _hide_denied_counts(request.viewer, member)
    return render(
        request,
        "members/profile.html",
        {"member": member, "member_credits": profile_credits(member)},
    )


def _hide_denied_counts(viewer, member: User) -> None:
    """Subtract ``member``'s visible posts and normal threads in boards ``viewer`` may not
    see from the stored ``posts``/``threads`` shown on the page (nothing is saved)."""
    if not (member.posts or member.threads):
        return  # nothing to hide: no query
    denied = denied_board_ids(viewer, reading=False)
    if not denied:
        return
    hidden_posts = Post.objects.filter(
        author=member,
        state=Post.State.VISIBLE,
        thread__state=Thread.State.NORMAL,
        thread__board_id__in=denied,
    ).count()
    hidden_threads = Thread.objects.filter(
        author=member, state=Thread.State.NORMAL, board_id__in=denied
    ).count()
    member.posts = max(member.posts - hidden_posts, 0)
    member.threads = max(member.threads - hidden_threads, 0)
