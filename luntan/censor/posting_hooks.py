"""The censor's part of the posting pipeline (registered by
:class:`luntan.censor.apps.CensorConfig`): the screener that applies the word list
(词语过滤) to every new post and edit of members and moderators (imports are not
screened). A 禁止 word refuses the post, a 审核 word holds it for review (with
:data:`PENDING_MESSAGE`; an edit is refused instead), replacements are made."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from luntan.censor.services import screen_edit, screen_post
from luntan.threads.posting import hooks
from luntan.threads.posting.hooks import Screening

#: The notice when a post is held by a 审核 ({MOD}) censor word.
PENDING_MESSAGE = gettext_noop("您的帖子包含需要审核的内容，已提交审核，通过后才会显示。")


def screen_words(subject, body, *, edit: bool):
    """:class:`luntan.threads.posting.hooks.Screener` for the word list."""

    if edit:
        subject, body = screen_edit(subject, body)
        return Screening(subject, body)
    subject, body, moderate = screen_post(subject, body)
    return Screening(subject, body, PENDING_MESSAGE if moderate else "")


def register() -> None:
    """Register :func:`screen_words` with :mod:`luntan.threads.posting.hooks`."""

    hooks.register_screener(screen_words)
