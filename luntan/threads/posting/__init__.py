"""The posting pipeline: every new thread, reply, edit and delete goes through here.

- :mod:`.pipeline`: :func:`submit` (new thread, reply, quote), :func:`edit`,
  :func:`delete`, :func:`quotable_posts`;
- :mod:`.types`: :class:`Trust` (member / moderator / import), :class:`PostRequest`,
  :class:`PostResult`, :class:`EditRequest`, :class:`DeleteRequest`, :class:`PostInput`,
  :class:`PostingLimits`;
- :mod:`.bulk`: the entry point of bulk loaders (``Trust.IMPORT``);
- :mod:`.hooks`: where feature apps (censor, attachments, credits, moderation, search)
  plug in from their ``AppConfig.ready()``.

See ``docs/posting.md``.
"""

from luntan.threads.posting.bulk import BulkResult, import_posts, import_threads, recount_threads
from luntan.threads.posting.pipeline import delete, edit, quotable_posts, submit
from luntan.threads.posting.types import (
    DeleteRequest,
    EditRequest,
    PostingLimits,
    PostInput,
    PostRequest,
    PostResult,
    Trust,
)

__all__ = [
    "BulkResult",
    "DeleteRequest",
    "EditRequest",
    "PostInput",
    "PostRequest",
    "PostResult",
    "PostingLimits",
    "Trust",
    "delete",
    "edit",
    "import_posts",
    "import_threads",
    "quotable_posts",
    "recount_threads",
    "submit",
]
