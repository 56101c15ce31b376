"""Keyword-argument shortcuts over the posting pipeline (:mod:`luntan.threads.posting`)
for scripts, the demo site and tests: each builds one request with an explicit
:class:`~luntan.threads.posting.Trust` and returns the model object the caller wants.

Use cases: :func:`create_thread` (发新帖), :func:`reply` (回复/引用), :func:`edit_post`
(编辑, with a :class:`~luntan.threads.models.PostRevision` kept) and :func:`delete_post`
(删除: soft delete; the OP takes its thread to the recycle bin). The rules, the
transaction, the hooks and the errors are the pipeline's (``docs/posting.md``).
"""

from __future__ import annotations

from datetime import datetime

from luntan.accounts.models import User
from luntan.boards.models import Board, ThreadType
from luntan.threads.models import Post, Thread
from luntan.threads.posting import (
    DeleteRequest,
    EditRequest,
    PostingLimits,
    PostInput,
    PostRequest,
    Trust,
    delete,
    edit,
    submit,
)
from luntan.threads.posting.pipeline import (
    EDIT_NOTICE_AFTER_SECONDS,
    SUBJECT_MAX_LENGTH,
    TOKEN_MAX_LENGTH,
    discuz_length,
    refresh_board_last,
)

__all__ = [
    "EDIT_NOTICE_AFTER_SECONDS",
    "SUBJECT_MAX_LENGTH",
    "TOKEN_MAX_LENGTH",
    "PostInput",
    "PostingLimits",
    "Trust",
    "create_thread",
    "delete_post",
    "discuz_length",
    "edit_post",
    "refresh_board_last",
    "reply",
]


def create_thread(
    *,
    board: Board,
    author: User,
    subject: str,
    body: PostInput,
    trust: Trust,
    thread_type: ThreadType | None = None,
    ip: str | None = None,
    now: datetime | None = None,
    limits: PostingLimits | None = None,
    token: str = "",
    read_level: int = 0,
    attachment_ids: tuple[int, ...] | list[int] = (),
    extras: dict | None = None,
) -> Thread:
    """Start a thread in ``board`` (:func:`luntan.threads.posting.submit`); returns the
    thread (``PENDING`` when held for review). ``extras``: the request's feature slots
    (e.g. ``{"poll": PollSpec(…)}``). Raises what the pipeline raises."""
    return submit(
        PostRequest(
            author=author,
            body=body,
            trust=trust,
            board=board,
            subject=subject,
            thread_type=thread_type,
            read_level=read_level,
            token=token,
            ip=ip,
            now=now,
            limits=limits,
            attachment_ids=attachment_ids,
            extras=dict(extras or {}),
        )
    ).thread


def reply(
    *,
    thread: Thread,
    author: User,
    body: PostInput,
    trust: Trust,
    quote: Post | None = None,
    ip: str | None = None,
    now: datetime | None = None,
    limits: PostingLimits | None = None,
    token: str = "",
    attachment_ids: tuple[int, ...] | list[int] = (),
) -> Post:
    """Reply to ``thread``, optionally quoting ``quote`` (:func:`~luntan.threads.posting.submit`);
    returns the post (``PENDING`` when held). ``Trust.MODERATOR`` may reply to a closed
    thread. Raises what the pipeline raises."""
    return submit(
        PostRequest(
            author=author,
            body=body,
            trust=trust,
            thread=thread,
            quote=quote,
            token=token,
            ip=ip,
            now=now,
            limits=limits,
            attachment_ids=attachment_ids,
        )
    ).post


def edit_post(
    *,
    post: Post,
    editor: User,
    body: PostInput,
    trust: Trust,
    subject: str | None = None,
    thread_type: ThreadType | None | object = ...,
    reason: str = "",
    limits: PostingLimits | None = None,
    now: datetime | None = None,
    read_level: int | None = None,
) -> Post:
    """Edit ``post`` (:func:`luntan.threads.posting.edit`); returns the post as saved."""
    return edit(
        EditRequest(
            post=post,
            editor=editor,
            body=body,
            trust=trust,
            subject=subject,
            thread_type=thread_type,
            reason=reason,
            limits=limits,
            now=now,
            read_level=read_level,
        )
    ).post


def delete_post(*, post: Post, actor: User, trust: Trust, now: datetime | None = None) -> Post:
    """Delete ``post`` (:func:`luntan.threads.posting.delete`); ``trust`` ``MODERATOR``
    writes the moderation log entry. Returns the post as saved."""
    return delete(DeleteRequest(post=post, actor=actor, trust=trust, now=now))
