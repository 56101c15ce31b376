"""Moderation pieces of the thread page: ``{% load luntan_moderation %}``.

- ``{% mod_notice thread %}``: "本主题由 X 于 <time> 关闭" from the thread's
  :class:`~luntan.moderation.models.ThreadNotice` (joined by the thread query: no query).
- ``{% mod_toolbar thread %}``: the moderator's thread tools (关闭/打开, 置顶, 精华, 高亮,
  分类, 移动, 合并, 删除) as small POST forms, and ``{% mod_posts_form thread %}``: the
  form the per-floor checkboxes belong to (分割, 删除, 恢复, 屏蔽, 警告). No queries.
"""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_noop

from luntan.moderation.threads import HIGHLIGHT_PALETTE

register = template.Library()

STICKY_LEVELS = (
    (1, gettext_noop("本版置顶")),
    (2, gettext_noop("分类置顶")),
    (3, gettext_noop("全局置顶")),
)
DIGEST_LEVELS = (
    (1, gettext_noop("精华 I")),
    (2, gettext_noop("精华 II")),
    (3, gettext_noop("精华 III")),
)


def notice_of(thread):
    """The thread's :class:`ThreadNotice`, or ``None``."""
    try:
        return thread.mod_notice
    except (ObjectDoesNotExist, AttributeError):
        return None


@register.inclusion_tag("moderation/_notice.html")
def mod_notice(thread):
    """The "本主题由 X 于 <time> <action>" line (nothing when no action was taken)."""
    return {"notice": notice_of(thread)}


@register.inclusion_tag("moderation/_toolbar.html", takes_context=True)
def mod_toolbar(context, thread):
    """The thread tools bar for a moderator of ``thread``'s board."""
    return {
        "thread": thread,
        "csrf_token": context.get("csrf_token"),
        "sticky_levels": STICKY_LEVELS,
        "digest_levels": DIGEST_LEVELS,
        "palette": HIGHLIGHT_PALETTE,
    }


@register.inclusion_tag("moderation/_posts_form.html", takes_context=True)
def mod_posts_form(context, thread):
    """The form that the floors' 选择 checkboxes submit (``form="modposts"``)."""
    return {"thread": thread, "csrf_token": context.get("csrf_token")}
