"""Deleting a member (删除用户), with Discuz!'s two choices.

Discuz! X3.4's 用户管理 → 删除用户 either deletes the member and keeps their posts, or
deletes the posts too (``admincp_members.php``, ``deletemember`` with ``includepost``).
luntan does the same:

- ``with_content=False``: the account goes; every thread and post it wrote stays, shown
  under the placeholder author :data:`PLACEHOLDER` (已注销用户), also where it is the last
  poster of a thread or board. Quotes of the member in other posts stay as written.
- ``with_content=True``: the member's threads go to the recycle bin
  (:func:`luntan.moderation.threads.recycle_thread`) and their replies elsewhere are
  deleted (:func:`luntan.moderation.posts.delete_post`), through the moderation services, so
  counters, last posts and credits are recomputed as for any deletion; what stays in the
  recycle bin shows the placeholder author.

Either way the name is reserved for ``LUNTAN_FREED_NAME_DAYS`` days
(:class:`luntan.accounts.models.FreedName`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.accounts.models import FreedName, User, UserGroup
from luntan.accounts.usernames import username_key
from luntan.boards.models import Board
from luntan.moderation.posts import delete_post
from luntan.moderation.threads import recycle_thread
from luntan.threads.models import Post, Thread

#: Author name shown for content whose member was deleted (stored; Discuz!'s wording).
PLACEHOLDER = "已注销用户"


@dataclass
class MemberDeletion:
    """What :func:`delete_member` did: the deleted name, threads recycled and posts deleted
    (``with_content``) or kept under the placeholder, and the name's reservation end (UTC)."""

    username: str
    threads: int
    posts: int
    kept: bool
    reserved_until: datetime


def delete_member(
    member: User,
    *,
    actor: User | None,
    with_content: bool = False,
    reason: str = "",
    now: datetime | None = None,
) -> MemberDeletion:
    """Delete ``member`` (see the module docstring), in one transaction.

    ``actor``: the administrator (recorded on moderation logs when content is deleted).
    Raises ``ValidationError`` for an administrator or superuser (demote them first) and
    when ``actor`` is ``member``. Returns :class:`MemberDeletion`.
    """

    now = now or timezone.now()
    if member.is_superuser or member.group_id == UserGroup.ADMIN:
        raise ValidationError(_("不能删除管理员，请先改变其用户组。"), code="protected")
    if actor is not None and actor.pk == member.pk:
        raise ValidationError(_("不能删除自己。"), code="self")
    name = member.username
    days = getattr(settings, "LUNTAN_FREED_NAME_DAYS", 90)
    with transaction.atomic():
        threads = posts = 0
        if with_content:
            for thread in Thread.objects.filter(author=member, state=Thread.State.NORMAL):
                recycle_thread(thread, actor=actor, reason=reason, now=now)
                threads += 1
            replies = Post.objects.filter(
                author=member, state=Post.State.VISIBLE, thread__state=Thread.State.NORMAL
            ).exclude(floor=1)
            for post in replies.select_related("thread"):
                delete_post(post, actor=actor, reason=reason, now=now)
                posts += 1
        else:
            threads = Thread.objects.filter(author=member).count()
            posts = Post.objects.filter(author=member).count()
        Post.objects.filter(author=member).update(author_name=PLACEHOLDER)
        Thread.objects.filter(author=member).update(author_name=PLACEHOLDER)
        Thread.objects.filter(last_poster_name=name).update(last_poster_name=PLACEHOLDER)
        Board.objects.filter(last_poster_name=name).update(last_poster_name=PLACEHOLDER)
        until = now + timedelta(days=days)
        FreedName.objects.create(
            username=name, username_key=username_key(name), reserved_until=until
        )
        member.delete()
    return MemberDeletion(
        username=name, threads=threads, posts=posts, kept=not with_content, reserved_until=until
    )
