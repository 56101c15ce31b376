"""The thread page's part of ``[hide]`` and ``[password]`` (a floor extra, see
:mod:`luntan.threads.extras`, registered by :class:`luntan.threads.apps.ThreadsConfig`;
:mod:`luntan.markup` renders the markers and stays below every app).

- A password post (密码帖, :mod:`luntan.permissions.post_passwords`) the viewer has not
  unlocked shows "本帖为密码帖" and a link to the password form instead of its body.
- ``[hide]`` blocks the viewer may see by Discuz!'s rule
  (:func:`luntan.permissions.hidden.hide_checker`) are shown: the post is rendered again
  for this viewer (:func:`luntan.markup.reveal.render_revealed`).

No query for a page without such posts (the markers are in the stored HTML); the source
of a marked post is loaded when needed, and 回复可见 costs one query per page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from luntan.markup.reveal import render_revealed
from luntan.permissions.hidden import hide_checker
from luntan.permissions.post_passwords import is_locked
from luntan.threads.extras import FloorExtra
from luntan.threads.models import Post

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from luntan.threads.page import Floor, ThreadPage

LOCK_MARK = 'class="password-lock"'
HIDE_MARK = 'class="hide-box"'
#: How a password post's source is recognised in a query (``parsepassword()``'s tag).
PASSWORD_CLOSE = "[/password]"  # noqa: S105 - a BBCode tag, not a password


def is_password_post(post: Any) -> bool:
    """True when ``post`` (anything with ``source``) is a password post (密码帖)."""
    return PASSWORD_CLOSE in (getattr(post, "source", "") or "").lower()


def locked_html(post_pk: int) -> SafeString:
    """The HTML shown instead of a password post's body to whoever has not unlocked it:
    "本帖为密码帖" and a link to its password form (``/p/<post_pk>/password/``)."""
    url = reverse("threads:post_password", args=[post_pk])
    return format_html(
        '<div class="locked">{} <a href="{}">{}</a></div>',
        _("本帖为密码帖，请输入密码后查看。"),
        url,
        _("输入密码"),
    )


def public_html(post: Any) -> str:
    """``post``'s HTML as anyone may see it who has not unlocked anything: the stored
    ``post.html`` (``[hide]`` blocks are stored closed), or :func:`locked_html` for a
    password post, whose stored HTML still holds the protected text. For every output
    made without a viewer (webhook payloads)."""
    if is_password_post(post) or LOCK_MARK in (post.html or ""):
        return locked_html(post.pk)
    return post.html


def viewer_html(post: Any, viewer: Any) -> str:
    """``post``'s stored HTML as ``viewer`` (a :class:`~luntan.permissions.viewer.Viewer`)
    may see it outside the thread page (the report form's preview): :func:`locked_html`
    for a password post the viewer has not unlocked (not its author, not a moderator of
    its board), else ``post.html``. ``post.thread.board`` is read for a password post."""
    if not is_password_post(post):
        return post.html
    user = viewer.member
    moderator = user is not None and viewer.moderates(post.thread.board)
    if is_locked(post, user, moderator=moderator, unlocked=viewer.unlocked_posts):
        return locked_html(post.pk)
    return post.html


def without_password_posts(queryset: QuerySet) -> QuerySet:
    """The quote filter of ``threads`` (registered by
    :class:`luntan.threads.apps.ThreadsConfig`, see
    :func:`luntan.threads.posting.hooks.shown_in_full`): ``queryset`` of posts without
    password posts, so they are never quoted, indexed, put in feeds or archived with
    their protected content. Lazy (no query)."""
    return queryset.exclude(source__icontains=PASSWORD_CLOSE)


class HiddenContentExtra(FloorExtra):
    """See the module docstring."""

    name = "hidden-content"
    order = 20  # after moderation's 屏蔽 (10), before attachments (50)

    def decorate(self, page: ThreadPage, floors: Sequence[Floor]) -> None:
        """Lock password posts and reveal permitted ``[hide]`` blocks (see module doc)."""
        user = page.user if getattr(page.user, "is_authenticated", False) else None
        replied: dict[str, bool] = {}

        def has_replied() -> bool:
            if user is None:
                return False  # a guest has replied to nothing
            if "v" not in replied:
                replied["v"] = Post.objects.filter(
                    thread_id=page.thread.pk, author_id=user.pk, state=Post.State.VISIBLE
                ).exists()
            return replied["v"]

        for f in floors:
            if not f.visible:
                continue
            html = str(f.html)
            if LOCK_MARK in html and is_locked(
                f.post,
                user,
                moderator=page.moderator,
                unlocked=page.viewer.unlocked_posts,
            ):
                f.html = locked_html(f.pk)
                # body_hidden only: whoever unlocks it sees it, so it is not ``withheld``
                # (reading mode shows the lock instead of answering 404)
                f.body_hidden = True
                continue
            if HIDE_MARK in html:
                if user is None and "[hide=d" not in f.post.source:
                    continue  # guests only ever see expired [hide=dDAYS,N] blocks
                allows = hide_checker(
                    user, f.post, moderator=page.moderator, replied=has_replied, now=page.now
                )
                revealed = render_revealed(f.post.source, f.post.format, allows)
                f.html = mark_safe(revealed)  # noqa: S308 - rendered and sanitised markup
