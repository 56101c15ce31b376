"""Posting use cases: every write to threads and posts goes through these functions.

Each function runs in one transaction, keeps the stored counters (thread replies and last
post, board threads/posts and last post, member posts/threads) right, and schedules side
effects with ``transaction.on_commit``. Floors are given out under a row lock on the
thread (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers with
``BEGIN IMMEDIATE``), the way Discourse's ``PostCreator`` assigns ``post_number``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan import markup, search
from luntan.accounts.models import User
from luntan.boards.models import Board, ThreadType
from luntan.iplocation import lookup_region
from luntan.threads.models import Post, Thread

SUBJECT_MAX_LENGTH = 80


@dataclass(frozen=True)
class PostInput:
    """What a member typed: ``source`` in ``fmt`` (``"bbcode"`` or ``"markdown"``)."""

    source: str
    fmt: str = Post.Format.BBCODE


def _check_body(body: PostInput) -> None:
    if not body.source.strip():
        raise ValidationError(_("内容不能为空。"), code="empty")
    if body.fmt not in Post.Format.values:
        raise ValidationError(_("不支持的格式：%(fmt)s") % {"fmt": body.fmt}, code="format")


def _new_post(
    thread: Thread, floor: int, author: User, body: PostInput, ip: str | None, now: datetime
) -> Post:
    return Post.objects.create(
        thread=thread,
        floor=floor,
        author=author,
        author_name=author.username,
        created=now,
        source=body.source,
        format=body.fmt,
        html=markup.render(body.source, body.fmt),
        renderer_version=markup.RENDERER_VERSION,
        ip=ip or None,
        ip_region=lookup_region(ip) if ip else "",
    )


def create_thread(
    *,
    board: Board,
    author: User,
    subject: str,
    body: PostInput,
    thread_type: ThreadType | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> Thread:
    """Start a thread (发新帖) in ``board`` with its OP on floor 1.

    Args: ``subject`` at most 80 characters (Discuz! ``forum_thread.subject`` char(80));
    ``thread_type`` must belong to ``board`` and is required when the board says so;
    ``ip`` is the poster's address (stored with its ip2region location); ``now`` (UTC,
    aware) defaults to the current time.
    Returns the saved :class:`Thread`. Raises ``ValidationError`` for an empty or too long
    subject, an empty body, an unknown format, or a missing/foreign thread type, and
    ``ValidationError`` when the board is a category or a link board.
    Updates board threads/posts/last post and the author's posts/threads counters.
    """
    subject = " ".join(subject.split())
    if not subject:
        raise ValidationError(_("标题不能为空。"), code="subject")
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise ValidationError(
            _("标题不能超过 %(n)d 个字符。") % {"n": SUBJECT_MAX_LENGTH}, code="subject"
        )
    _check_body(body)
    if board.kind == Board.Kind.CATEGORY or board.redirect_url:
        raise ValidationError(_("该版块不能发帖。"), code="board")
    if thread_type is not None and thread_type.board_id != board.pk:
        raise ValidationError(_("主题分类不属于该版块。"), code="type")
    if thread_type is None and board.thread_types_required and board.thread_types.exists():
        raise ValidationError(_("请选择主题分类。"), code="type")
    now = now or timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            board=board,
            type=thread_type,
            subject=subject,
            author=author,
            author_name=author.username,
            created=now,
            last_post_at=now,
            last_poster_name=author.username,
            max_floor=1,
        )
        _new_post(thread, 1, author, body, ip, now)
        transaction.on_commit(lambda: search.reindex_thread(thread.pk))
        Board.objects.filter(pk=board.pk).update(
            threads=F("threads") + 1,
            posts=F("posts") + 1,
            last_thread=thread,
            last_post_at=now,
            last_poster_name=author.username,
        )
        User.objects.filter(pk=author.pk).update(posts=F("posts") + 1, threads=F("threads") + 1)
    return thread


def reply(
    *,
    thread: Thread,
    author: User,
    body: PostInput,
    quote: Post | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> Post:
    """Reply to ``thread`` (回复), optionally quoting ``quote`` (引用).

    The new post takes floor ``max_floor + 1``, read and bumped under a lock on the thread
    row, so concurrent repliers get consecutive, distinct floors. A quote is stored in
    Discuz!'s quote format (header ``NAME 发表于 Y-M-D H:M`` in the site time zone, linking
    to the quoted post's permalink) before the reply's own text, so imported and new quotes
    look the same. Returns the saved :class:`Post`.
    Raises ``ValidationError`` for an empty body, an unknown format, a closed or
    non-visible thread, or a quote from another thread.
    Updates thread replies/last post, board posts/last post and the author's posts.
    """
    _check_body(body)
    if quote is not None:
        if quote.thread_id != thread.pk or quote.state != Post.State.VISIBLE:
            raise ValidationError(_("只能引用本主题中的帖子。"), code="quote")
        local = timezone.localtime(quote.created)
        header_time = f"{local.year}-{local.month}-{local.day} {local:%H:%M}"
        quoted = markup.quote_source(
            quote.author_name, header_time, quote.get_absolute_url(), quote.source, quote.format
        )
        if body.fmt == Post.Format.BBCODE:
            body = PostInput(quoted + body.source, body.fmt)
        else:
            # A Markdown reply keeps its format; the quote is rendered from BBCode separately
            # would mix formats, so Markdown replies quote with a Markdown blockquote.
            lines = markup.render_plain(quote.source, quote.format).splitlines() or [""]
            header = f"> **{quote.author_name} 发表于 {header_time}**"
            body = PostInput(
                "\n".join([header, ">", *(f"> {line}" for line in lines)]) + "\n\n" + body.source,
                body.fmt,
            )
    now = now or timezone.now()
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.closed:
            raise ValidationError(_("该主题已关闭，不能回复。"), code="closed")
        if locked.state != Thread.State.NORMAL:
            raise ValidationError(_("该主题不存在或已被删除。"), code="thread")
        floor = locked.max_floor + 1
        post = _new_post(locked, floor, author, body, ip, now)
        transaction.on_commit(lambda: search.reindex_post(post.pk))
        Thread.objects.filter(pk=locked.pk).update(
            max_floor=floor,
            replies=F("replies") + 1,
            last_post_at=now,
            last_poster_name=author.username,
        )
        Board.objects.filter(pk=locked.board_id).update(
            posts=F("posts") + 1,
            last_thread=locked,
            last_post_at=now,
            last_poster_name=author.username,
        )
        User.objects.filter(pk=author.pk).update(posts=F("posts") + 1)
    thread.max_floor = floor
    return post
