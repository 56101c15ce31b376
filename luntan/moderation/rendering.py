"""Per-floor pieces of the thread page for moderation, called by
:func:`luntan.threads.templatetags.luntan_threads.render_floors` (no queries: the posts
query annotates ``is_banned`` and ``is_warned``, see :func:`post_flags`).

- 屏蔽: a banned post's body is replaced by "提示: 该帖被管理员或版主屏蔽" except for the
  board's moderators, who see the notice above the content (as Discuz! does).
- 警告: "该帖作者被警告" above the body.
- moderators get a 选择 checkbox on every floor, bound to the ``modposts`` form.
- members get a 举报 link under others' floors.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _


def post_flags() -> dict:
    """Annotations for a :class:`~luntan.threads.models.Post` queryset: ``is_banned`` and
    ``is_warned`` (two EXISTS subqueries on indexed columns; no extra query)."""
    from luntan.moderation.models import BannedPost, Warning

    return {
        "is_banned": Exists(BannedPost.objects.filter(post=OuterRef("pk"))),
        "is_warned": Exists(Warning.objects.filter(post=OuterRef("pk"))),
    }


def unbanned(queryset):
    """``queryset`` (of posts) without the 屏蔽 ones: they are neither quoted nor indexed
    for search, so their content can't leak past the notice."""
    from luntan.moderation.models import BannedPost

    return queryset.filter(~Exists(BannedPost.objects.filter(post=OuterRef("pk"))))


def floor_notes(p, html: str, note: str, rights) -> tuple[str, str]:
    """Return ``(html, note)`` for visible post ``p`` with the 屏蔽/警告 notices applied."""
    banned = getattr(p, "is_banned", False)
    warned = getattr(p, "is_warned", False)
    if not banned and not warned:
        return html, note
    extra = ""
    if warned:
        extra += f'<div class="warned-notice">{escape(_("该帖作者被警告"))}</div>'
    if banned:
        text = escape(_("提示: 该帖被管理员或版主屏蔽"))
        if rights is not None and rights.moderator:
            extra += f'<div class="banned-notice">{text}</div>'
        else:
            return f'<div class="locked banned-notice">{text}</div>', extra + note
    return html, extra + note


def floor_checkbox(pk: int, rights) -> str:
    """The moderator's 选择 checkbox of a floor (``""`` for others)."""
    if rights is None or not rights.moderator:
        return ""
    label = escape(_("选择"))
    return (
        f'<label class="modsel"><input type="checkbox" form="modposts" name="post" '
        f'value="{int(pk)}"> {label}</label>'
    )


def report_link(p, rights) -> str:
    """The 举报 link for a signed-in member under someone else's floor."""
    user = getattr(rights, "user", None)
    if user is None or not user.is_authenticated or p.author_id == user.pk:
        return ""
    return f'<a class="fl-report" href="{reverse("mod:report", args=[int(p.pk)])}">{escape(_("举报"))}</a>'
