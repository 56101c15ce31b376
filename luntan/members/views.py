"""The public profile of a member (``/u/<id>/``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luntan.accounts import profiles
from luntan.accounts.avatars import avatar_url
from luntan.accounts.models import Profile, User
from luntan.accounts.signatures import shown_signature
from luntan.boards.models import Board
from luntan.core.parsing import parse_id
from luntan.credits.display import PROFILE_FIELDS, profile_credits
from luntan.members import avatars
from luntan.online.services import is_online
from luntan.permissions import denied_board_ids, read_level_denies
from luntan.permissions.viewer import ViewerRequest
from luntan.threads.models import Post, Thread

#: How many recent threads and replies a profile lists.
RECENT = 10


def profile(request: ViewerRequest, pk: str) -> HttpResponse:
    """A member's public profile (个人空间): avatar, username, usergroup with its icon and
    stars, online status, post/thread/digest counts, credits, join date and last visit,
    the profile fields the viewer may see (per-field privacy, :mod:`luntan.accounts.
    profiles`), the signature, and the member's recent threads and replies.

    Nothing of a board the viewer may not see leaks: the counts leave such boards out
    (:func:`_hide_denied_counts`), and the recent lists hold only threads and replies the
    viewer may read (board visibility, password, read level). Queries: the member (with
    group, credits and profile fields) — all for a member who never posted; for a poster
    the boards, the recent threads with the digest count, and the recent replies.
    Unknown or inactive members give 404.
    """
    member = get_object_or_404(
        User.objects.select_related("group", "credit_balance", "profile").only(
            "id",
            "username",
            "posts",
            "threads",
            "credits",
            "custom_title",
            "date_joined",
            "last_login",
            "is_active",
            "avatar",
            "signature_html",
            "group__id",
            "group__name",
            "group__color",
            "group__stars",
            "group__icon",
            "group__max_sig_size",
            *PROFILE_FIELDS,
            *(f"profile__{name}" for name in (*Profile.FIELDS, "privacy")),
        ),
        pk=int(pk),
        is_active=True,
    )
    viewer = request.viewer
    boards = (
        list(Board.objects.only("id", "parent_id", "is_hidden", "view_groups", "password"))
        if (member.posts or member.threads) and not viewer.is_staff_moderator
        else []
    )
    _hide_denied_counts(viewer, member, boards)
    unreadable = denied_board_ids(viewer, boards=boards) if boards else set()
    recent_threads, digests = _recent_threads(viewer, member, unreadable)
    online = is_online(member.pk)
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "member_credits": profile_credits(member),
            "avatar": avatar_url(member, "big"),
            "fields": profiles.visible_fields(
                getattr(member, "profile", None), member.pk, request.user
            ),
            "signature": shown_signature(member),
            "online": online,
            "stars": range(min(member.group.stars, 20)),
            "digests": digests,
            "recent_threads": recent_threads,
            "recent_replies": _recent_replies(viewer, member, unreadable),
        },
    )


def _recent_threads(viewer, member: User, unreadable: set[int]) -> tuple[list[Thread], int]:
    """``member``'s latest threads the viewer may read (at most :data:`RECENT`: normal,
    not anonymous, not in a board of ``unreadable`` — ids from
    :func:`~luntan.permissions.denied_board_ids` — and a read level the viewer passes)
    and how many of their threads in readable boards are digests (精华). No query when the
    member started none; else one for the threads and one for the count."""
    if not member.threads:
        return [], 0
    readable = Thread.objects.filter(
        author=member, is_anonymous=False, state=Thread.State.NORMAL
    ).exclude(board_id__in=unreadable)
    threads = [
        t
        for t in readable.select_related("board")
        .only(
            "id",
            "subject",
            "created",
            "replies",
            "read_level",
            "author_id",
            "board__id",
            "board__name",
        )
        .order_by("-created")[: RECENT * 2]
        if not read_level_denies(viewer, t)
    ][:RECENT]
    digests = readable.filter(digest__gt=0).count()
    return threads, digests


def _recent_replies(viewer, member: User, unreadable: set[int]) -> list[Post]:
    """``member``'s latest replies (floor > 1, visible, not anonymous) in normal threads
    the viewer may read (board not in ``unreadable``, read level passed:
    :func:`~luntan.permissions.read_level_denies`), at most :data:`RECENT`, with their
    threads. One query; none when every post of the member is a thread's first."""
    if member.posts <= member.threads:
        return []
    posts = (
        Post.objects.filter(
            author=member,
            floor__gt=1,
            is_anonymous=False,
            state=Post.State.VISIBLE,
            thread__state=Thread.State.NORMAL,
        )
        .exclude(thread__board_id__in=unreadable)
        .select_related("thread__board")
        .only(
            "id",
            "floor",
            "created",
            "thread__id",
            "thread__subject",
            "thread__read_level",
            "thread__author_id",
            "thread__board__id",
        )
        .order_by("-created")[: RECENT * 2]
    )
    return [p for p in posts if not read_level_denies(viewer, p.thread)][:RECENT]


def _hide_denied_counts(viewer, member: User, boards: list[Board] | None = None) -> None:
    """Subtract ``member``'s visible posts and normal threads in boards ``viewer`` may not
    see from the stored ``posts``/``threads`` shown on the page (nothing is saved)."""
    if not (member.posts or member.threads):
        return  # nothing to hide: no query
    denied = denied_board_ids(viewer, reading=False, boards=boards or None)
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


@login_required
@require_POST
def avatar(request: ViewerRequest) -> HttpResponse:
    """上传头像 from the settings page: the file ``avatar`` cut at the square
    ``crop_x``/``crop_y``/``crop_side`` (pixels of the upright image; sent by the page's
    cropper, absent without JavaScript: the centred square), or ``action=remove`` for the
    generated default. Redirects to the settings page with a message; a refused upload
    (:func:`luntan.members.avatars.upload_avatar`'s ``ValidationError``) says why there
    and stores nothing."""
    back = reverse("accounts:settings") + "#avatar"
    user = request.user
    assert isinstance(user, User)  # login_required
    if request.POST.get("action") == "remove":
        if avatars.remove_avatar(user):
            messages.success(request, _("已恢复默认头像。"))
        return redirect(back)
    upload = request.FILES.get("avatar")
    if upload is None:
        messages.error(request, _("请选择要上传的图片。"))
        return redirect(back)
    crop = None
    x, y, side = (parse_id(request.POST.get(k)) for k in ("crop_x", "crop_y", "crop_side"))
    if side:
        crop = avatars.Crop(x or 0, y or 0, side)
    try:
        avatars.upload_avatar(user, upload, crop)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("头像已更新。"))
    return redirect(back)
