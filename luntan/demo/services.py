"""The demo forum that the first ``make run`` creates, and its removal.

Before importing a real site the demo must go, or the demo ``admin`` would clash with the
imported administrator. :func:`demo_contents` says what the demo holds;
:func:`clear_demo_site` removes exactly what ``luntan create_demo_site`` made, and with
``force=True`` also what people posted while trying the demo (their accounts are kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from luntan.accounts.models import User
from luntan.attachments import services as attachments
from luntan.attachments.models import Attachment
from luntan.boards.models import Board
from luntan.core.models import SiteSettings, get_site_settings
from luntan.moderation.counts import recount_members
from luntan.search.indexing import remove_posts
from luntan.threads.models import Post, Thread

DEMO_MEMBERS = ("admin", "城东小李", "番茄阿姨", "老街摄影")


@dataclass
class DemoContents:
    """What the demo forum holds: counts of ``boards``, ``threads``, ``posts``,
    ``attachments``; ``demo_members`` (the accounts ``create_demo_site`` made, deleted
    with it); ``other_posts`` (posts by anyone else, guests included) and ``other_authors``
    (their names); ``kept_members`` (accounts that are not the demo's: never deleted)."""

    boards: int = 0
    threads: int = 0
    posts: int = 0
    attachments: int = 0
    demo_members: list[str] = field(default_factory=list)
    other_posts: int = 0
    other_authors: list[str] = field(default_factory=list)
    kept_members: list[str] = field(default_factory=list)


def _others() -> Q:
    return ~Q(author__username__in=DEMO_MEMBERS) | Q(author__isnull=True)


def demo_contents() -> DemoContents:
    """Count what :func:`clear_demo_site` would delete. Raises ``ValidationError`` (code
    ``not-demo``) when the site is not the demo."""
    if not get_site_settings().is_demo:
        raise ValidationError(_("这个论坛不是演示论坛，没有删除任何内容。"), code="not-demo")
    others = Post.objects.filter(_others())
    return DemoContents(
        boards=Board.objects.count(),
        threads=Thread.objects.count(),
        posts=Post.objects.count(),
        attachments=Attachment.objects.count(),
        demo_members=sorted(
            User.objects.filter(username__in=DEMO_MEMBERS).values_list("username", flat=True)
        ),
        other_posts=others.count(),
        other_authors=sorted(set(others.values_list("author_name", flat=True)) - {""}),
        kept_members=sorted(
            User.objects.exclude(username__in=DEMO_MEMBERS).values_list("username", flat=True)
        ),
    )


def clear_demo_site(*, force: bool = False) -> DemoContents:
    """Delete the demo boards, threads, posts, attachments (rows and files) and demo
    accounts, take the posts out of the search index, and reset the site settings.

    Returns the :class:`DemoContents` deleted. Raises ``ValidationError`` when the site is
    not marked as the demo (real content is never deleted by this), and — unless
    ``force`` — when someone other than the demo members has posted (code ``used``; the
    message names ``--force``). With ``force`` their posts go too; their accounts stay,
    with ``posts``/``threads`` recounted. One transaction.
    """
    found = demo_contents()
    if found.other_posts and not force:
        raise ValidationError(
            _(
                "演示论坛里已经有其他会员发的帖子（%(n)s 篇），没有删除任何内容。"
                "确认要连同这些帖子一起删除，请运行 luntan clear_demo_site --force。"
            )
            % {"n": found.other_posts},
            code="used",
        )
    with transaction.atomic():
        kept_ids = list(
            User.objects.exclude(username__in=DEMO_MEMBERS).values_list("pk", flat=True)
        )
        post_ids = list(Post.objects.values_list("pk", flat=True))
        for attachment in Attachment.objects.all():
            attachments.delete(attachment)
        Board.objects.update(last_thread=None)
        Thread.objects.all().delete()
        Board.objects.all().delete()
        User.objects.filter(username__in=DEMO_MEMBERS).delete()
        SiteSettings(pk=1).save()  # back to the defaults, is_demo False
        recount_members(kept_ids)
        remove_posts(post_ids)
    return found
