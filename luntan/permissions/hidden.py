"""Who sees ``[hide]`` content (Discuz! X3.4 ``discuzcode()`` in
source/function/function_discuzcode.php and ``creditshide()``):

- ``[hide]`` (回复可见): members who have a post in the thread (the thread's author and the
  post's author included), the board's moderators, super moderators and administrators;
- ``[hide=N]`` (积分可见): members with at least N total credits, the post's author,
  moderators and administrators;
- ``[hide=dDAYS,N]``: as ``[hide=N]`` until DAYS days after the post, then everyone.

Guests never see hidden content (an expired ``[hide=dDAYS,N]`` excepted).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone


def hide_checker(
    user,
    post,
    *,
    moderator: bool,
    replied: Callable[[], bool],
    now: datetime | None = None,
) -> Callable[[str | None], bool]:
    """Return ``allows(arg)`` deciding one ``[hide]`` block of ``post`` for ``user``.

    ``user``: the viewer (anonymous or ``None`` for a guest); ``post``: a
    :class:`~luntan.threads.models.Post` (``author_id``, ``created``); ``moderator``: the
    viewer moderates the post's board (or is a super moderator/administrator);
    ``replied()``: whether the viewer has a post in the thread, called at most once and
    only when a plain ``[hide]`` needs it. ``arg``: ``None`` (reply to see), ``"N"``
    (credits) or ``"dDAYS,N"`` (credits until DAYS days after the post).
    """
    member = user is not None and getattr(user, "is_authenticated", False)
    staff = member and (moderator or user.is_superuser)
    own = member and post.author_id is not None and post.author_id == user.pk
    now = now or timezone.now()
    cache: dict[str, bool] = {}

    def allows(arg: str | None) -> bool:
        if arg is not None and arg.startswith("d"):
            days, _sep, credits = arg[1:].partition(",")
            if days.isdigit() and post.created + timedelta(days=int(days)) <= now:
                return True
            arg = credits or "0"
        if staff or own:
            return True
        if not member:
            return False
        if arg is None:
            if "replied" not in cache:
                cache["replied"] = bool(replied())
            return cache["replied"]
        return arg.isdigit() and (user.credits or 0) >= int(arg)

    return allows
