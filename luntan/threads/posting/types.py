"""The objects of the posting pipeline: what a caller asks (:class:`PostRequest`,
:class:`EditRequest`, :class:`DeleteRequest`) and what it gets back (:class:`PostResult`).

Trust is explicit (:class:`Trust`): nothing is inferred from a missing argument.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from luntan.core.models import get_site_settings
from luntan.threads.models import Post

if TYPE_CHECKING:
    from luntan.accounts.models import User
    from luntan.boards.models import Board, ThreadType
    from luntan.threads.models import Thread


class Trust(enum.Enum):
    """Who is writing, and so which checks a write passes.

    - ``MEMBER``: a member's own post. Length limits, flood control (Discuz! ``floodctrl``),
      markup rights, censor words (禁止 refuses, 审核 holds the post), the new post review
      (新用户发帖审核), credits and mentions.
    - ``MODERATOR``: a moderator of the board (Discuz! ``disablepostctrl``): no length
      limits, no flood control, no markup-rights check, no review; censor words still
      apply (a 审核 word holds the post, a 禁止 word refuses it); may reply to a closed
      thread; credits and mentions as for members.
    - ``IMPORT``: the Discuz! importer and other bulk loaders (:mod:`.bulk`): no limits,
      flood control, censor or credits; the same rows and counters as a member's post.
    """

    MEMBER = "member"
    MODERATOR = "moderator"
    IMPORT = "import"


@dataclass(frozen=True)
class PostInput:
    """What a member typed: ``source`` in ``fmt`` (``"bbcode"`` or ``"markdown"``)."""

    source: str
    fmt: str = Post.Format.BBCODE


@dataclass(frozen=True)
class PostingLimits:
    """Limits on what a member writes; 0 turns a limit off.

    ``min_length``/``max_length``: length of the post's text as Discuz! measures it
    (:func:`luntan.threads.posting.checks.discuz_length`: a Chinese character counts 2),
    white space at both ends stripped (the minimum leaves quotes out, as Discuz!'s
    ``checkpost()`` strips ``[quote]…[/quote]`` before measuring).
    ``flood_seconds``: least seconds between two posts of one member (Discuz!
    ``floodctrl``, checked against the member's newest post under a lock on the member's
    row, so parallel posts are serialised).
    """

    min_length: int = 0
    max_length: int = 0
    flood_seconds: int = 0

    @classmethod
    def from_site(cls) -> PostingLimits:
        """The limits in :class:`~luntan.core.models.SiteSettings` (cached; no query warm)."""

        site = get_site_settings()
        return cls(site.post_min_length, site.post_max_length, site.flood_seconds)


@dataclass
class PostRequest:
    """One new thread (``board`` set, ``thread`` None) or reply (``thread`` set).

    ``author`` writes ``body`` with ``trust``; ``subject``, ``thread_type`` and
    ``read_level`` (阅读权限 0–255) are for a new thread; ``quote`` is the quoted post of a
    reply (it must be one the thread page shows); ``attachment_ids`` are the author's own
    unbound uploads to bind to the post and ``uploads`` files a posting form stored but
    did not record yet (opaque here; both go to the binder ``luntan.attachments``
    registers); ``token`` is the form's one-time token (≤ 32 characters; a repeated token
    returns the earlier post); ``ip`` the poster's address; ``now`` (aware UTC) defaults
    to the current time; ``limits`` overrides the site's limits for a ``MEMBER`` (tests,
    API clients with their own budget); ``extras`` is a slot per later feature (polls,
    rewards, …) read by the hooks that feature registers. ``viewer`` is the request's
    :class:`~luntan.permissions.viewer.Viewer` of the author (boards they unlocked by
    password this session); ``None`` (imports, scripts) asks about ``author`` alone.
    """

    author: User
    body: PostInput
    trust: Trust
    board: Board | None = None
    thread: Thread | None = None
    subject: str = ""
    thread_type: ThreadType | None = None
    read_level: int = 0
    quote: Post | None = None
    attachment_ids: tuple[int, ...] | list[int] = ()
    uploads: tuple[Any, ...] | list[Any] = ()
    token: str = ""
    ip: str | None = None
    now: datetime | None = None
    limits: PostingLimits | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    viewer: Any = None


@dataclass
class PostResult:
    """What a :class:`PostRequest` made: the ``post`` and its ``thread``; ``held`` is True
    when the post waits in the review queue (``message`` tells the author why, already
    translated into the active language); ``duplicate`` when the token matched an earlier
    post, which is returned and nothing was written."""

    post: Post
    thread: Thread
    held: bool = False
    message: str = ""
    duplicate: bool = False


@dataclass
class EditRequest:
    """An edit (编辑) of ``post`` by ``editor`` with ``trust``.

    ``subject`` (the OP only; ``None`` keeps it), ``thread_type`` (the OP only; ``...``
    keeps it, ``None`` clears it), ``read_level`` (the OP only; ``None`` keeps it),
    ``reason`` (≤ 200 characters, stored on the revision), ``attachment_ids`` and
    ``uploads`` to bind (as for :class:`PostRequest`),
    ``now`` (aware UTC), ``limits`` as for :class:`PostRequest` (no flood control for
    edits), ``viewer`` as for :class:`PostRequest`.
    """

    post: Post
    editor: User
    body: PostInput
    trust: Trust
    subject: str | None = None
    thread_type: Any = ...
    read_level: int | None = None
    reason: str = ""
    attachment_ids: tuple[int, ...] | list[int] = ()
    uploads: tuple[Any, ...] | list[Any] = ()
    now: datetime | None = None
    limits: PostingLimits | None = None
    viewer: Any = None


@dataclass
class DeleteRequest:
    """A delete (删除) of ``post`` by ``actor``: ``trust`` ``MODERATOR`` when a moderator
    acts on someone's post (the moderation log records it, with ``reason`` and ``ip``),
    ``MEMBER`` for an author deleting their own post."""

    post: Post
    actor: User
    trust: Trust
    reason: str = ""
    ip: str | None = None
    now: datetime | None = None
