"""Members: ``GET /members/{id}`` (public profile) and ``GET /me`` (the caller)."""

from __future__ import annotations

from django.http import Http404

from luntan.accounts.models import User
from luntan.api.auth import MEMBER_AUTH, ApiRequest
from luntan.api.endpoints.common import ERRORS, Id, router
from luntan.api.schemas import MemberOut, MeOut
from luntan.members.views import _hide_denied_counts

TAGS = ["members"]

_FIELDS = (
    "id",
    "username",
    "posts",
    "threads",
    "credits",
    "custom_title",
    "date_joined",
    "is_active",
    "group__id",
    "group__name",
)


def member_out(member: User) -> dict:
    """:class:`~luntan.api.schemas.MemberOut` of ``member`` (counts already narrowed)."""
    return {
        "id": member.pk,
        "username": member.username,
        "group": {"id": member.group.pk, "name": member.group.name},
        "custom_title": member.custom_title,
        "credits": member.credits,
        "posts": member.posts,
        "threads": member.threads,
        "date_joined": member.date_joined,
    }


@router.get(
    "/members/{member_id}", tags=TAGS, response={200: MemberOut, **ERRORS}, summary="A member"
)
def member(request: ApiRequest, member_id: Id):
    """A member's public profile, as ``/u/<id>/`` shows it: post and thread counts leave
    out boards the caller may not see. 404 for unknown and inactive members."""
    found = (
        User.objects.select_related("group")
        .only(*_FIELDS)
        .filter(pk=member_id, is_active=True)
        .first()
    )
    if found is None:
        raise Http404
    _hide_denied_counts(request.viewer, found)
    return member_out(found)


@router.get(
    "/me", tags=TAGS, response={200: MeOut, **ERRORS}, auth=MEMBER_AUTH, summary="The caller"
)
def me(request: ApiRequest):
    """The signed-in caller (a token's member or the session's): profile, e-mail, time
    zone, how they are signed in and the scopes they hold. 401 for guests."""
    caller = request.auth
    user = User.objects.select_related("group").get(pk=caller.user.pk)
    out = member_out(user)
    out.update(
        email=user.email,
        time_zone=user.time_zone,
        via=caller.via,
        scopes=sorted(caller.scopes),
    )
    return out
