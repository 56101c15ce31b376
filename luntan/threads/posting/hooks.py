"""Where feature apps plug into the posting pipeline.

``threads`` imports none of the feature apps: each one registers its part from its
``AppConfig.ready()`` (see ``luntan/<app>/apps.py``):

============================  ==============================================  ====================
hook                          called                                          registered by
============================  ==============================================  ====================
:func:`register_screener`     before the transaction, new posts and edits     ``luntan.censor``
:func:`register_binder`       in the transaction, after the post is written   ``luntan.attachments``
:func:`register_on_written`   in the transaction, every new post (held too),  ``luntan.polls``
                              reads ``PostRequest.extras``
:func:`register_on_created`   in the transaction, a post counted (not held)   ``luntan.credits``
:func:`register_on_edited`    in the transaction, after a post changed        ``luntan.webhooks``
:func:`register_on_deleted`   in the transaction, after a delete              ``luntan.credits``,
                                                                              ``luntan.moderation``
:func:`register_indexer`      after commit (``transaction.on_commit``)        ``luntan.search``
:func:`register_quote_filter` quoting, search indexing, the archive           ``luntan.moderation``,
                                                                              ``luntan.threads``
:func:`register_message_      private messages (``luntan.pms``): their form,  ``luntan.attachments``
attachments`                  binding in the send transaction, display
============================  ==============================================  ====================

A hook raising ``ValidationError`` inside the transaction rolls the whole post back, and
the form shows the message (the ``code`` picks the field). Registration is idempotent (a
hook registered twice runs once), so ``ready()`` may run more than once in tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from luntan.threads.models import Post, Thread
    from luntan.threads.posting.types import (
        DeleteRequest,
        EditRequest,
        PostInput,
        PostRequest,
        PostResult,
    )


@dataclass(frozen=True)
class Screening:
    """A screener's verdict: ``subject`` (``None`` for a reply or an unchanged subject)
    and ``body`` with replacements made; ``hold_message`` (untranslated, marked with
    ``gettext_noop``) when the post must wait for review, else ``""``."""

    subject: str | None
    body: PostInput
    hold_message: str = ""


class Screener(Protocol):
    """``screener(subject, body, *, edit)`` → :class:`Screening`; raises
    ``ValidationError`` to refuse the post (an edit that would need review is refused:
    the post is already public)."""

    def __call__(self, subject: str | None, body: PostInput, *, edit: bool) -> Screening: ...


class Binder(Protocol):
    """Binds uploads to a post: ``binder(post, attachment_ids, user, uploads)``
    (``uploads``: the request's files stored by a form, not yet recorded); raises
    ``ValidationError`` (code ``upload``, ``missing``, ``foreign``, ``daily``) to refuse."""

    def __call__(
        self, post: Post, attachment_ids: list[int], user: Any, uploads: tuple = ()
    ) -> Any: ...


class Indexer(Protocol):
    """The search index, told after commit what changed."""

    def post_changed(self, post_id: int) -> None:
        """A post was written, edited or deleted."""

    def thread_changed(self, thread_id: int) -> None:
        """A thread's subject, type or state changed (all its posts are affected)."""

    def posts_imported(self, post_ids: list[int]) -> None:
        """A bulk import wrote these posts."""


#: ``on_created(request, result)`` for a counted new post (credits: 发帖/回复 rewards).
OnCreated = Callable[["PostRequest", "PostResult"], None]
#: ``on_written(request, result)`` for every new post, held or not, in the posting
#: transaction after the post row and its attachments: the place for features that store
#: something with the post from ``request.extras`` (polls). ``result.held`` tells whether
#: the post waits for review.
OnWritten = Callable[["PostRequest", "PostResult"], None]
#: ``on_edited(request, result)`` in the edit transaction, after a post really changed
#: (an edit that changes nothing calls nothing): webhooks.
OnEdited = Callable[["EditRequest", "PostResult"], None]
#: ``on_deleted(request, post, thread, before_state)``: ``post`` as deleted (state
#: ``DELETED``, or ``RECYCLED`` with ``thread`` recycled when it was the OP).
OnDeleted = Callable[["DeleteRequest", "Post", "Thread", int], None]
#: ``quote_filter(queryset)`` → the posts of ``queryset`` the thread page shows in full.
QuoteFilter = Callable[["QuerySet"], "QuerySet"]


class MessageAttachments(Protocol):
    """Attachments of private messages (短消息), which go through the same attachment
    service as posts: ``form_extension`` adds the file fields to the message forms (the
    posting forms' :class:`luntan.threads.forms.FormExtension`: ``contribute``,
    ``clean``, ``request_fields`` giving ``attachment_ids`` and ``uploads``);
    ``bind(message, attachment_ids, user, uploads)`` records and binds them in the send
    transaction (``ValidationError`` refuses the message); ``annotations()`` are added
    to the messages' query (``has_attachments``) and ``decorate(messages)`` puts the
    attachments into each shown message (``message.html`` with inline ones,
    ``message.files_html`` the 附件 box): one query, none without attachments."""

    form_extension: Any

    def bind(
        self, message: Any, attachment_ids: list[int], user: Any, uploads: tuple = ()
    ) -> list: ...

    def annotations(self) -> dict: ...

    def decorate(self, messages: list) -> None: ...


_message_attachments: list[MessageAttachments] = []
_screeners: list[Screener] = []
_binders: list[Binder] = []
_on_created: list[OnCreated] = []
_on_written: list[OnWritten] = []
_on_deleted: list[OnDeleted] = []
_on_edited: list[OnEdited] = []
_indexers: list[Indexer] = []
_quote_filters: list[QuoteFilter] = []


def _add(registry: list, hook) -> None:
    if hook not in registry:
        registry.append(hook)


def register_screener(screener: Screener) -> None:
    """Add a screener (censor words); see :class:`Screener`."""
    _add(_screeners, screener)


def register_binder(binder: Binder) -> None:
    """Add the attachment binder; see :class:`Binder`."""
    _add(_binders, binder)


def register_on_created(hook: OnCreated) -> None:
    """Add a hook run in the posting transaction after a counted post is written."""
    _add(_on_created, hook)


def register_on_written(hook: OnWritten) -> None:
    """Add a hook run in the posting transaction after every new post (held ones too);
    see :data:`OnWritten`. Raising ``ValidationError`` rolls the post back."""
    _add(_on_written, hook)


def register_on_edited(hook: OnEdited) -> None:
    """Add a hook run in the edit transaction after a post changed (see :data:`OnEdited`)."""
    _add(_on_edited, hook)


def on_edited() -> tuple[OnEdited, ...]:
    """The registered edit hooks, in registration order."""
    return tuple(_on_edited)


def register_on_deleted(hook: OnDeleted) -> None:
    """Add a hook run in the delete transaction after a post is deleted."""
    _add(_on_deleted, hook)


def register_message_attachments(provider: MessageAttachments) -> None:
    """Set the attachments of private messages (see :class:`MessageAttachments`; one
    provider, registering again replaces it)."""
    _message_attachments[:] = [provider]


def message_attachments() -> MessageAttachments | None:
    """The registered :class:`MessageAttachments`, or ``None`` (no attachments app)."""
    return _message_attachments[0] if _message_attachments else None


def register_indexer(indexer: Indexer) -> None:
    """Add a search indexer; see :class:`Indexer`."""
    _add(_indexers, indexer)


def register_quote_filter(hook: QuoteFilter) -> None:
    """Add a filter keeping only the posts the thread page shows in full (quotable)."""
    _add(_quote_filters, hook)


def screeners() -> tuple[Screener, ...]:
    """The registered screeners, in registration order."""
    return tuple(_screeners)


def binders() -> tuple[Binder, ...]:
    """The registered binders."""
    return tuple(_binders)


def on_created() -> tuple[OnCreated, ...]:
    """The registered after-create hooks."""
    return tuple(_on_created)


def on_written() -> tuple[OnWritten, ...]:
    """The registered after-write hooks."""
    return tuple(_on_written)


def on_deleted() -> tuple[OnDeleted, ...]:
    """The registered after-delete hooks."""
    return tuple(_on_deleted)


def quote_filters() -> tuple[QuoteFilter, ...]:
    """The registered quote filters."""
    return tuple(_quote_filters)


def shown_in_full(queryset: QuerySet) -> QuerySet:
    """``queryset`` (of posts) narrowed by every registered quote filter: the posts whose
    content the thread page shows in full (e.g. without 屏蔽 posts of
    :mod:`luntan.moderation`). Quoting, the search index and the archive use it, so none
    of them shows content the thread page withholds. Returns a lazy queryset (no query)."""
    for keep in _quote_filters:
        queryset = keep(queryset)
    return queryset


def post_changed(post_id: int) -> None:
    """Tell every indexer (call it from ``transaction.on_commit``)."""
    for indexer in _indexers:
        indexer.post_changed(post_id)


def thread_changed(thread_id: int) -> None:
    """Tell every indexer (call it from ``transaction.on_commit``)."""
    for indexer in _indexers:
        indexer.thread_changed(thread_id)


def posts_imported(post_ids: Iterable[int]) -> None:
    """Tell every indexer (call it from ``transaction.on_commit``)."""
    ids = list(post_ids)
    for indexer in _indexers:
        indexer.posts_imported(ids)
