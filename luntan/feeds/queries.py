"""What feeds and the sitemap show: only what a guest (游客) may read.

Everything goes through :mod:`luntan.permissions` with a guest viewer — boards a guest
can't see or read (hidden, restricted by group, password) are left out, threads must be
NORMAL and within the guest's read access (阅读权限), posts VISIBLE — and through the
posting pipeline's quote filters (:func:`luntan.threads.posting.hooks.shown_in_full`: no
屏蔽 posts), as search and the archiver do. Descriptions are plain text from
:func:`luntan.markup.render_plain`, which never reveals ``[hide]`` content and gives
nothing for password posts.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from luntan import markup, permissions
from luntan.boards.models import Board
from luntan.markup.plaintext import excerpt
from luntan.permissions.viewer import Viewer
from luntan.threads.models import Post, Thread
from luntan.threads.posting.hooks import shown_in_full

#: Items in a feed (the newest threads).
FEED_ITEMS = 20
#: Characters of the OP's text in an item's description.
DESCRIPTION_CHARS = 300


def guest() -> Viewer:
    """A fresh guest viewer (no session: no board unlocked by password)."""
    return permissions.as_viewer(AnonymousUser())


def guest_can_read_board(board: Board) -> bool:
    """True when a guest may read ``board``'s threads (a real board, not a category or a
    link). Load the board with ``select_related("parent__parent")``."""
    if board.kind == Board.Kind.CATEGORY or board.redirect_url:
        return False
    return permissions.can_read_board(guest(), board)


def guest_op_posts(board: Board | None = None) -> QuerySet:
    """The opening posts of the threads a guest may read, newest thread first, with
    thread and board joined (``board``: that board only). Lazy: slice it."""
    posts = Post.objects.filter(floor=1)
    if board is not None:
        posts = posts.filter(thread__board=board)
    posts = shown_in_full(permissions.filter_posts_queryset(posts, guest()))
    return posts.select_related("thread__board").order_by("-created", "-pk")


def guest_threads() -> QuerySet:
    """Threads a guest may read (NORMAL, readable board, read level within the guest's
    read access), oldest first (stable pages for the sitemap)."""
    viewer = guest()
    threads = permissions.filter_threads_queryset(Thread.objects.all(), viewer)
    return threads.filter(read_level__lte=viewer.rights.read_access).order_by("pk")


def guest_boards() -> list[Board]:
    """Boards (not categories, not links) whose threads a guest may read, in display
    order; one query for the boards and the denied list's."""
    boards = list(Board.objects.order_by("display_order", "pk"))
    denied = permissions.denied_board_ids(guest(), boards=boards)
    return [
        b
        for b in boards
        if b.pk not in denied and b.kind != Board.Kind.CATEGORY and not b.redirect_url
    ]


def description(post: Post) -> str:
    """Plain text of ``post`` for a feed item, cut to :data:`DESCRIPTION_CHARS`."""
    return excerpt(markup.render_plain(post.source, post.format), DESCRIPTION_CHARS)
