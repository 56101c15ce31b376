"""Test data built through the real services (no direct model writes for posts)."""

from __future__ import annotations

import itertools
from datetime import datetime

from luntan.accounts.models import User
from luntan.boards.models import Board, ThreadType
from luntan.threads.models import Post, Thread
from luntan.threads.posting import PostingLimits, Trust
from luntan.threads.services import PostInput, create_thread, reply

_seq = itertools.count(1)


def make_user(username: str | None = None, **fields) -> User:
    """Create a member (password ``pw``) in 新手上路 unless ``group_id`` is given."""
    username = username or f"会员{next(_seq)}"
    return User.objects.create_user(username=username, password="pw", **fields)  # noqa: S106


def make_category(name: str = "本地生活", **fields) -> Board:
    """Create a category (分区)."""
    return Board.objects.create(name=name, kind=Board.Kind.CATEGORY, **fields)


def make_board(
    name: str = "新闻", parent: Board | None = None, types: tuple[str, ...] = (), **fields
) -> Board:
    """Create a board under ``parent`` (a new category when None) with thread ``types``."""
    parent = parent or make_category()
    board = Board.objects.create(name=name, parent=parent, kind=Board.Kind.BOARD, **fields)
    for order, type_name in enumerate(types):
        ThreadType.objects.create(board=board, name=type_name, display_order=order)
    return board


def make_thread(
    board: Board | None = None,
    author: User | None = None,
    subject: str = "今天的新闻",
    body: str = "楼主的正文内容。",
    *,
    fmt: str = "bbcode",
    thread_type: ThreadType | None = None,
    ip: str | None = None,
    now: datetime | None = None,
    trust: Trust = Trust.MODERATOR,
    limits: PostingLimits | None = None,
) -> Thread:
    """Start a thread through :func:`create_thread` (``trust``: a script's write by
    default, no limits or review; ``Trust.MEMBER`` with ``limits`` for a member's)."""
    return create_thread(
        trust=trust,
        limits=limits,
        board=board or make_board(),
        author=author or make_user(),
        subject=subject,
        body=PostInput(body, fmt),
        thread_type=thread_type,
        ip=ip,
        now=now,
    )


def make_reply(
    thread: Thread,
    author: User | None = None,
    body: str = "回复内容",
    *,
    quote: Post | None = None,
    ip: str | None = None,
    now: datetime | None = None,
    fmt: str = "bbcode",
    trust: Trust = Trust.MODERATOR,
    limits: PostingLimits | None = None,
) -> Post:
    """Reply through :func:`reply` (``trust`` and ``limits`` as for :func:`make_thread`)."""
    return reply(
        trust=trust,
        limits=limits,
        thread=thread,
        author=author or make_user(),
        body=PostInput(body, fmt),
        quote=quote,
        ip=ip,
        now=now,
    )
