"""The demo forum that the first ``make run`` creates, and its removal.

Before importing a real site the demo must go, or the demo ``admin`` would clash with the
imported administrator; :func:`clear_demo_site` removes exactly what
``luntan create_demo_site`` made.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.core.models import SiteSettings, get_site_settings
from luntan.threads.models import Post, Thread

DEMO_MEMBERS = ("admin", "城东小李", "番茄阿姨", "老街摄影")


def clear_demo_site() -> dict[str, int]:
    """Delete the demo boards, threads, posts and accounts, and reset the site settings.

    Returns ``{"boards": n, "threads": n, "members": n}`` deleted. Raises
    ``ValidationError`` when the site is not marked as the demo (real content is never
    deleted by this) or when someone other than the demo members has posted.
    """
    site = get_site_settings()
    if not site.is_demo:
        raise ValidationError(_("这个论坛不是演示论坛，没有删除任何内容。"), code="not-demo")
    if Post.objects.exclude(author__username__in=DEMO_MEMBERS).exists():
        raise ValidationError(
            _("演示论坛里已经有其他会员发的帖子，没有删除任何内容。"), code="used"
        )
    with transaction.atomic():
        threads = Thread.objects.count()
        Board.objects.update(last_thread=None)
        Thread.objects.all().delete()
        boards, _detail = Board.objects.all().delete()
        members, _detail = User.objects.filter(username__in=DEMO_MEMBERS).delete()
        SiteSettings(pk=1).save()  # back to the defaults, is_demo False
    return {"boards": boards, "threads": threads, "members": members}
