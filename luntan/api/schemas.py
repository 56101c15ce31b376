"""The API's response and request shapes (pydantic, through ninja's ``Schema``); the
OpenAPI schema at ``/api/v1/openapi.json`` is generated from them.

Times are ISO 8601 in UTC (``2026-12-03T05:06:07Z``); ids are integers; HTML fields are
the sanitised post HTML the pages show.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import field_validator


class InputSchema(Schema):
    """Base of the request bodies and query models: text with a NUL character is refused
    (422), as Django's form fields do — PostgreSQL text cannot hold it."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("NUL characters are not allowed")
        return value


class ProblemOut(Schema):
    """An RFC 9457 problem (see :mod:`luntan.api.problems`)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    errors: list[dict] | None = None
    retry_after: int | None = None
    board_id: int | None = None


class MemberRef(Schema):
    """A member as shown beside a post or thread."""

    id: int
    username: str


class GroupOut(Schema):
    id: int
    name: str


class SiteLimits(Schema):
    post_min_length: int
    post_max_length: int
    flood_seconds: int
    edit_window_seconds: int


class SiteStatsOut(Schema):
    members: int
    posts: int
    today: int
    yesterday: int
    newest_member: MemberRef | None


class SiteOut(Schema):
    name: str
    api_version: str
    time_zone: str
    registration_mode: str
    icp_number: str
    police_filing: str
    posts_per_page: int
    threads_per_page: int
    limits: SiteLimits
    stats: SiteStatsOut


class LastPost(Schema):
    thread_id: int | None
    subject: str
    at: datetime | None
    poster_name: str


class BoardNode(Schema):
    """A board of the tree; ``threads``/``posts``/``today_posts`` include sub-boards for a
    board row, as the index shows them. ``locked``: a password is needed to read it."""

    id: int
    kind: Literal["category", "board", "sub"]
    name: str
    description: str
    parent_id: int | None
    threads: int
    posts: int
    today_posts: int
    redirect_url: str
    locked: bool
    last_post: LastPost | None
    children: list[BoardNode] = Field(default_factory=list)


BoardNode.model_rebuild()


class ThreadTypeOut(Schema):
    id: int
    name: str


class BoardOut(Schema):
    """One board with its thread types and what the caller may do there."""

    id: int
    kind: Literal["category", "board", "sub"]
    name: str
    description: str
    rules: str
    parent_id: int | None
    threads: int
    posts: int
    thread_types: list[ThreadTypeOut]
    thread_types_required: bool
    can_start_thread: bool


class ThreadSummary(Schema):
    """A thread as listed. ``author`` is ``null`` for anonymous and deleted authors."""

    id: int
    board_id: int
    subject: str
    type: ThreadTypeOut | None
    author: MemberRef | None
    author_name: str
    created: datetime
    last_post_at: datetime
    last_poster_name: str
    views: int
    replies: int
    sticky: int
    digest: int
    closed: bool
    read_level: int


class ThreadListOut(Schema):
    """One page of a board's threads; pass ``next_cursor`` as ``cursor`` for the next
    (``null``: no more)."""

    items: list[ThreadSummary]
    next_cursor: str | None


class FloorOut(Schema):
    """One floor (楼层). ``html`` is ``null`` when the post is deleted (``deleted``) or
    hidden from this viewer (``hidden``: 屏蔽); ``notices`` are the moderation notices
    the page shows above the body (HTML)."""

    id: int
    floor: int
    label: str
    is_op: bool
    author: MemberRef | None
    author_name: str
    group: GroupOut | None
    created: datetime
    edited_at: datetime | None
    edited_by_name: str
    origin: str
    deleted: bool
    hidden: bool
    html: str | None
    notices: list[str]
    can_edit: bool
    can_delete: bool


class ThreadDetail(ThreadSummary):
    board_name: str
    can_reply: bool


class ThreadPageOut(Schema):
    """A page of a thread's floors, cut like the thread page (``LUNTAN_POSTS_PER_PAGE``
    floors by floor range; ``author`` 只看该作者, ``order=desc`` 倒序)."""

    thread: ThreadDetail
    page: int
    num_pages: int
    floors: list[FloorOut]


class PostOut(Schema):
    """One post with where it is."""

    thread_id: int
    page: int
    floor: FloorOut


class MemberOut(Schema):
    """A member's public profile. ``posts``/``threads`` leave out boards the caller may
    not see, as the profile page does."""

    id: int
    username: str
    group: GroupOut
    custom_title: str
    credits: int
    posts: int
    threads: int
    date_joined: datetime


class MeOut(MemberOut):
    """The caller: the public profile plus how they are signed in."""

    email: str
    time_zone: str
    via: Literal["token", "session"]
    scopes: list[str]


class SearchHitOut(Schema):
    post_id: int
    thread_id: int
    floor: int
    board_id: int
    board_name: str
    subject: str
    title_html: str
    snippet_html: str
    author_name: str
    created: datetime


class SearchOut(Schema):
    q: str
    total: int
    capped: bool
    page: int
    pages: int
    hits: list[SearchHitOut]


class NewThreadIn(InputSchema):
    """A new thread: ``subject`` (1–80 characters), ``body`` in ``format``, ``type_id``
    (one of the board's thread types; required where the board says so), ``read_level``
    (阅读权限, moderators only), ``token`` (an idempotency key: a repeated key returns the
    first post and writes nothing)."""

    subject: str = Field(max_length=1000)
    body: str = Field(max_length=200_000)
    format: Literal["bbcode", "markdown"] = "bbcode"
    type_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    read_level: int = Field(default=0, ge=0, le=255)
    token: str = Field(default="", max_length=32)
    attachment_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        default_factory=list, max_length=50
    )


class ReplyIn(InputSchema):
    """A reply: ``body`` in ``format``; ``quote_id`` quotes a post of the thread (引用);
    ``token`` as for :class:`NewThreadIn`."""

    body: str = Field(max_length=200_000)
    format: Literal["bbcode", "markdown"] = "bbcode"
    quote_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    token: str = Field(default="", max_length=32)
    attachment_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        default_factory=list, max_length=50
    )


class EditIn(InputSchema):
    """An edit: ``body`` in ``format``; for the OP also ``subject`` and ``type_id``
    (absent: kept); ``reason`` (编辑原因, ≤ 200 characters); ``attachment_ids`` the
    editor's own new uploads to bind to the post."""

    body: str = Field(max_length=200_000)
    format: Literal["bbcode", "markdown"] = "bbcode"
    subject: str | None = Field(default=None, max_length=1000)
    type_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    reason: str = Field(default="", max_length=200)
    attachment_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        default_factory=list, max_length=50
    )


class DeleteIn(InputSchema):
    reason: str = Field(default="", max_length=200)


class WriteOut(Schema):
    """What a write made: the post (``null`` while ``held`` in the review queue, when
    ``message`` says why), its thread and floor; ``duplicate`` when the ``token`` matched
    an earlier post (nothing was written)."""

    thread_id: int
    post_id: int
    floor: int
    held: bool
    duplicate: bool
    message: str
    post: FloorOut | None


class DeletedOut(Schema):
    post_id: int
    thread_id: int
    thread_deleted: bool


# --- private messages (短消息) -------------------------------------------------------------


class PMMemberOut(Schema):
    id: int
    username: str


class ConversationOut(Schema):
    """One conversation of the caller's inbox: its members (the caller included), the
    newest message's author and excerpt, and whether the caller has it unread."""

    id: int
    subject: str
    is_group: bool
    members: list[PMMemberOut]
    unread: bool
    message_count: int
    last_message_at: datetime
    last_author: str
    last_excerpt: str


class ConversationListOut(Schema):
    """One page of the caller's inbox, newest first; ``unread_total`` counts unread
    conversations."""

    items: list[ConversationOut]
    page: int
    pages: int
    unread_total: int


class PMMessageOut(Schema):
    """A message: ``html`` with its attachments (inline images and the 附件 box, links
    only its conversation's members can fetch); ``system`` is ``join``/``leave`` for the
    line "``author`` 加入/退出了会话" of a group conversation (``html`` empty), else ``""``."""

    id: int
    author: PMMemberOut | None
    created: datetime
    html: str
    system: str = ""


class ConversationDetailOut(Schema):
    """A conversation and a page of its messages (oldest first on the page; page 1 is
    the newest)."""

    conversation: ConversationOut
    messages: list[PMMessageOut]
    page: int
    pages: int


class SendPMIn(InputSchema):
    """A private message: to member names ``to`` (starts or continues a conversation)
    or into ``conversation_id`` (a reply); ``body`` in ``format``; ``subject`` titles a
    group conversation; ``attachment_ids`` are the caller's unbound uploads (``POST
    /attachments``) to attach (``[attach]id[/attach]`` in the body shows one inline)."""

    to: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(
        default_factory=list, max_length=50
    )
    conversation_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    body: str = Field(max_length=200_000)
    format: Literal["bbcode", "markdown"] = "bbcode"
    subject: str = Field(default="", max_length=80)
    attachment_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        default_factory=list, max_length=20
    )


class SentPMOut(Schema):
    conversation_id: int
    message_id: int
    created: bool


class PMDeletedOut(Schema):
    conversation_id: int
    deleted: bool
