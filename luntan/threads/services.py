"""Posting use cases: every write to threads and posts goes through these functions.

Each function runs in one transaction, keeps the stored counters (thread replies and last
post, board threads/posts and last post, member posts/threads) right, and schedules side
effects with ``transaction.on_commit``. Floors are given out under a row lock on the
thread (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers with
``BEGIN IMMEDIATE``), the way Discourse's ``PostCreator`` assigns ``post_number``.

Use cases: :func:`create_thread` (发新帖), :func:`reply` (回复/引用), :func:`edit_post`
(编辑, with a :class:`~luntan.threads.models.PostRevision` kept) and :func:`delete_post`
(删除: soft delete; the OP takes its thread to the recycle bin). Writes from members pass
:class:`PostingLimits` (length, flood control) and a form ``token`` (a double submit
returns the first post); imports and scripts pass neither. Errors are
``ValidationError`` with Chinese messages and a ``code`` (``subject``, ``empty``,
``too_short``, ``too_long``, ``flood``, ``closed``, …) the forms put on the right field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan import markup, search
from luntan.accounts.models import User
from luntan.boards import counters as board_counters
from luntan.boards.models import Board, ThreadType
from luntan.boards.queries import site_day_starts
from luntan.censor import pending as censor_pending
from luntan.censor.services import screen_edit, screen_post
from luntan.core.models import site_time_zone
from luntan.credits import services as credits
from luntan.iplocation import lookup_region
from luntan.permissions.posting import new_post_needs_review
from luntan.threads.mentions import link_mentions, lookup_usernames
from luntan.threads.models import Post, PostRevision, Thread

SUBJECT_MAX_LENGTH = 80
#: An edit later than this after posting shows "本帖最后由 X 于 <time> 编辑" (Discuz!'s
#: ``post_editpost.php``: ``$_G['timestamp'] - $orig['dateline'] > 60``).
EDIT_NOTICE_AFTER_SECONDS = 60
TOKEN_MAX_LENGTH = 32

_BB_QUOTE = re.compile(r"\[quote\].*?\[/quote\]", re.I | re.S)


@dataclass(frozen=True)
class PostingLimits:
    """Limits on what a member writes; 0 turns a limit off.

    ``min_length``/``max_length``: characters of the post's own text, white space at both
    ends stripped (the minimum leaves quotes out, as Discuz!'s ``checkpost()`` strips
    ``[quote]…[/quote]`` before measuring; Discuz! counts bytes, luntan characters).
    ``flood_seconds``: least seconds between two posts of one member (Discuz!
    ``floodctrl``, checked against the member's newest post).
    """

    min_length: int = 0
    max_length: int = 0
    flood_seconds: int = 0

    @classmethod
    def from_site(cls) -> PostingLimits:
        """The limits in :class:`~luntan.core.models.SiteSettings` (cached; no query warm)."""
        from luntan.core.models import get_site_settings

        site = get_site_settings()
        return cls(site.post_min_length, site.post_max_length, site.flood_seconds)


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


def _own_text(body: PostInput) -> str:
    """The member's own words: the source without quoted posts, stripped."""
    if body.fmt == Post.Format.BBCODE:
        text = _BB_QUOTE.sub("", body.source)
    else:
        text = "\n".join(
            line for line in body.source.splitlines() if not line.lstrip().startswith(">")
        )
    return text.strip()


def discuz_length(text: str) -> int:
    """Length of ``text`` as Discuz! X3.4 measures posts (``dstrlen`` in
    ``source/function/function_core.php``): 1 for an ASCII character, 2 for any other
    (a Chinese character counts 2), so the default minimum of 10 takes five Chinese
    characters (the seed thread's 一定要和谐) or ten Latin letters."""
    return sum(1 if ord(ch) < 128 else 2 for ch in text)


def _check_length(body: PostInput, limits: PostingLimits | None) -> None:
    if limits is None:
        return
    total = discuz_length(body.source.strip())
    if limits.max_length and total > limits.max_length:
        raise ValidationError(
            _("抱歉，您的帖子超过 %(max)d 个字符的限制（当前 %(n)d 个字符，汉字算两个）。")
            % {"max": limits.max_length, "n": total},
            code="too_long",
        )
    own = discuz_length(_own_text(body))
    if limits.min_length and own < limits.min_length:
        raise ValidationError(
            _("抱歉，您的帖子小于 %(min)d 个字符的限制（当前 %(n)d 个字符，汉字算两个）。")
            % {"min": limits.min_length, "n": own},
            code="too_short",
        )


def _check_flood(author: User, limits: PostingLimits | None, now: datetime) -> None:
    """Refuse a post sooner than ``flood_seconds`` after the member's newest post (one
    query on the ``(author, -created)`` index)."""
    if limits is None or not limits.flood_seconds:
        return
    last = (
        Post.objects.filter(author=author)
        .order_by("-created")
        .values_list("created", flat=True)
        .first()
    )
    if last is not None and 0 <= (now - last).total_seconds() < limits.flood_seconds:
        raise ValidationError(
            _("您两次发表间隔少于 %(n)d 秒，请稍候再发") % {"n": limits.flood_seconds},
            code="flood",
        )


def _check_token(token: str) -> str:
    token = (token or "").strip()
    if len(token) > TOKEN_MAX_LENGTH:
        raise ValidationError(_("表单已失效，请刷新页面后重新提交。"), code="token")
    return token


def _post_by_token(author: User, token: str) -> Post | None:
    if not token:
        return None
    return Post.objects.filter(author=author, form_token=token).first()


def _with_mentions(body: PostInput) -> PostInput:
    if "@" not in body.source:
        return body
    return PostInput(link_mentions(body.source, body.fmt, lookup_usernames), body.fmt)


def _new_post(
    thread: Thread,
    floor: int,
    author: User,
    body: PostInput,
    ip: str | None,
    now: datetime,
    token: str = "",
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
        form_token=token,
    )


def _check_subject(subject: str) -> str:
    subject = " ".join(subject.split())
    if not subject:
        raise ValidationError(_("标题不能为空。"), code="subject")
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise ValidationError(
            _("标题不能超过 %(n)d 个字符（当前 %(len)d 个字符）。")
            % {"n": SUBJECT_MAX_LENGTH, "len": len(subject)},
            code="subject",
        )
    return subject


def _check_thread_type(board: Board, thread_type: ThreadType | None) -> None:
    if thread_type is not None and thread_type.board_id != board.pk:
        raise ValidationError(_("主题分类不属于该版块。"), code="type")
    if thread_type is None and board.thread_types_required and board.thread_types.exists():
        raise ValidationError(_("请选择主题分类。"), code="type")


def create_thread(
    *,
    board: Board,
    author: User,
    subject: str,
    body: PostInput,
    thread_type: ThreadType | None = None,
    ip: str | None = None,
    now: datetime | None = None,
    limits: PostingLimits | None = None,
    token: str = "",
    read_level: int = 0,
) -> Thread:
    """Start a thread (发新帖) in ``board`` with its OP on floor 1.

    Args: ``subject`` at most 80 characters (Discuz! ``forum_thread.subject`` char(80));
    ``thread_type`` must belong to ``board`` and is required when the board says so;
    ``ip`` is the poster's address (stored with its ip2region location); ``now`` (UTC,
    aware) defaults to the current time.
    ``limits`` (members' posts; ``None`` for imports and moderators) bound the body's
    length and the time since the author's last post; ``token`` is the form's random
    token (≤ 32 characters): when this author already wrote a post with it, that post's
    thread is returned and nothing is written (a double submit creates one thread).
    ``@name`` mentions of members become profile links (:mod:`luntan.threads.mentions`).
    Returns the saved :class:`Thread`. Raises ``ValidationError`` for an empty or too long
    subject, an empty, too short or too long body, an unknown format, a missing/foreign
    thread type, a post within the flood interval, and when the board is a category or a
    link board.
    ``read_level`` (阅读权限, Discuz! ``readperm``, 0–255) is the least group read access
    needed to read the thread's posts (the forms offer it only to those allowed).
    Updates board threads/posts/last post and the author's posts/threads counters.
    A member's post held for review (a 审核 censor word, or the new post review of
    :func:`luntan.permissions.new_post_needs_review`) is written PENDING by
    :mod:`luntan.censor.pending` instead: nothing counted until approved.
    """
    subject = _check_subject(subject)
    _check_body(body)
    token = _check_token(token)
    if board.kind == Board.Kind.CATEGORY or board.redirect_url:
        raise ValidationError(_("该版块不能发帖。"), code="board")
    _check_thread_type(board, thread_type)
    if not 0 <= read_level <= 255:
        raise ValidationError(_("阅读权限必须在 0 到 255 之间。"), code="read_level")
    existing = _post_by_token(author, token)
    if existing is not None:
        return existing.thread
    _check_length(body, limits)
    now = now or timezone.now()
    subject, body, pending = screen_post(subject, body, author=limits and author)  # 词语过滤
    review = limits is not None and new_post_needs_review(author, board)  # 新用户发帖审核
    if pending or review:
        return censor_pending.create_pending_thread(
            board=board,
            author=author,
            subject=subject,
            body=body,
            thread_type=thread_type,
            ip=ip,
            now=now,
            limits=limits,
            token=token,
            message=censor_pending.PENDING_MESSAGE if pending else censor_pending.REVIEW_MESSAGE,
            read_level=read_level,
        )
    try:
        return _create_thread(
            board, author, subject, body, thread_type, ip, now, limits, token, read_level
        )
    except IntegrityError:
        existing = _post_by_token(author, token)  # the same form, submitted twice at once
        if existing is None:
            raise
        return existing.thread


def _create_thread(
    board: Board,
    author: User,
    subject: str,
    body: PostInput,
    thread_type: ThreadType | None,
    ip: str | None,
    now: datetime,
    limits: PostingLimits | None,
    token: str,
    read_level: int = 0,
) -> Thread:
    with transaction.atomic():
        _check_flood(author, limits, now)
        body = _with_mentions(body)
        thread = Thread.objects.create(
            board=board,
            type=thread_type,
            read_level=read_level,
            subject=subject,
            author=author,
            author_name=author.username,
            created=now,
            last_post_at=now,
            last_poster_name=author.username,
            max_floor=1,
        )
        _new_post(thread, 1, author, body, ip, now, token)
        transaction.on_commit(lambda: search.reindex_thread(thread.pk))
        Board.objects.filter(pk=board.pk).update(
            threads=F("threads") + 1,
            posts=F("posts") + 1,
            last_thread=thread,
            last_post_at=now,
            last_poster_name=author.username,
            **board_counters.day_updates(now),
        )
        User.objects.filter(pk=author.pk).update(posts=F("posts") + 1, threads=F("threads") + 1)
        credits.award(author, "post", board=board, related=thread, now=now)
    return thread


def reply(
    *,
    thread: Thread,
    author: User,
    body: PostInput,
    quote: Post | None = None,
    ip: str | None = None,
    now: datetime | None = None,
    limits: PostingLimits | None = None,
    token: str = "",
    allow_closed: bool = False,
) -> Post:
    """Reply to ``thread`` (回复), optionally quoting ``quote`` (引用).

    The new post takes floor ``max_floor + 1``, read and bumped under a lock on the thread
    row, so concurrent repliers get consecutive, distinct floors. A quote is stored in
    Discuz!'s quote format (header ``NAME 发表于 Y-M-D H:M`` in the site time zone, linking
    to the quoted post's permalink) before the reply's own text, so imported and new quotes
    look the same. ``limits`` and ``token`` as for :func:`create_thread` (the length is
    that of the member's own text, without the quote); a repeated ``token`` returns the
    author's earlier post. Mentions become links. ``allow_closed``: the author moderates
    the board and may reply to a closed thread. Returns the saved :class:`Post`.
    Raises ``ValidationError`` for an empty, too short or too long body, an unknown
    format, a post within the flood interval, a closed or non-visible thread, or a quote
    from another thread.
    Updates thread replies/last post, board posts/last post and the author's posts
    (not for a post held for review, see :func:`create_thread`).
    """
    _check_body(body)
    token = _check_token(token)
    existing = _post_by_token(author, token)
    if existing is not None:
        return existing
    _check_length(body, limits)
    _subject, body, pending = screen_post(None, body, author=limits and author)  # 词语过滤
    body = _with_mentions(body)
    if quote is not None:
        if quote.thread_id != thread.pk or quote.state != Post.State.VISIBLE:
            raise ValidationError(_("只能引用本主题中的帖子。"), code="quote")
        local = timezone.localtime(quote.created, site_time_zone())
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
    review = limits is not None and new_post_needs_review(author, thread.board)  # 新用户发帖审核
    if pending or review:
        return censor_pending.create_pending_reply(
            thread=thread,
            author=author,
            body=body,
            ip=ip,
            now=now,
            limits=limits,
            token=token,
            allow_closed=allow_closed,
            message=censor_pending.PENDING_MESSAGE if pending else censor_pending.REVIEW_MESSAGE,
        )
    try:
        return _reply(thread, author, body, ip, now, limits, token, allow_closed)
    except IntegrityError:
        existing = _post_by_token(author, token)  # the same form, submitted twice at once
        if existing is None:
            raise
        return existing


def _reply(
    thread: Thread,
    author: User,
    body: PostInput,
    ip: str | None,
    now: datetime,
    limits: PostingLimits | None,
    token: str,
    allow_closed: bool,
) -> Post:
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        existing = _post_by_token(author, token)  # a double submit queued behind the first
        if existing is not None:
            return existing
        if locked.closed and not allow_closed:
            raise ValidationError(_("该主题已关闭，不能回复。"), code="closed")
        if locked.state != Thread.State.NORMAL:
            raise ValidationError(_("该主题不存在或已被删除。"), code="thread")
        _check_flood(author, limits, now)
        floor = locked.max_floor + 1
        post = _new_post(locked, floor, author, body, ip, now, token)
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
            **board_counters.day_updates(now),
        )
        User.objects.filter(pk=author.pk).update(posts=F("posts") + 1)
        credits.award(author, "reply", board=locked.board_id, related=post, now=now)
    thread.max_floor = floor
    return post


def edit_post(
    *,
    post: Post,
    editor: User,
    body: PostInput,
    subject: str | None = None,
    thread_type: ThreadType | None | object = ...,
    reason: str = "",
    limits: PostingLimits | None = None,
    now: datetime | None = None,
    read_level: int | None = None,
) -> Post:
    """Edit ``post`` (编辑) as ``editor``, keeping what it was as a :class:`PostRevision`.

    Args: ``body`` the new source and format; ``subject`` (the OP only; ``None`` keeps
    it) and ``thread_type`` (the OP only; ``...`` keeps it, ``None`` clears it, required
    where the board says so); ``reason`` (≤ 200 characters) is stored on the revision;
    ``limits`` bound the length (no flood control for edits); ``now`` (aware UTC)
    defaults to the current time. Mentions added by the edit become links.
    An edit more than :data:`EDIT_NOTICE_AFTER_SECONDS` after posting sets ``edited_at``
    and ``edited_by_name``, from which the thread page shows "本帖最后由 X 于 <time> 编辑"
    (Discuz! ``post_editpost.php`` bakes that notice into the message; luntan keeps it
    as data). An edit that changes nothing writes nothing. The search index is refreshed
    on commit (the whole thread when the subject changed).
    Returns the post as saved. Raises ``ValidationError`` for the body and subject rules
    of :func:`create_thread`, and for a deleted post or a thread that is not visible.
    ``read_level`` (the OP only; ``None`` keeps it) sets the thread's 阅读权限; a change
    of it alone writes no revision. Counters are not touched (an edit adds no post).
    """
    _check_body(body)
    _check_length(body, limits)
    is_op = post.floor == 1
    if subject is not None and is_op:
        subject = _check_subject(subject)
    else:
        subject = None
    subject, body = screen_edit(subject, body, author=limits and editor)  # 词语过滤
    reason = " ".join(reason.split())[:200]
    now = now or timezone.now()
    with transaction.atomic():
        locked = Post.objects.select_for_update().select_related("thread__board").get(pk=post.pk)
        thread = locked.thread
        if locked.state != Post.State.VISIBLE or thread.state != Thread.State.NORMAL:
            raise ValidationError(_("该帖已被删除，不能编辑。"), code="deleted")
        new_type = thread.type if thread_type is ... or not is_op else thread_type
        if is_op and thread_type is not ...:
            _check_thread_type(thread.board, new_type)  # type: ignore[arg-type]
        body = _with_mentions(body)
        if is_op and read_level is not None and read_level != thread.read_level:
            if not 0 <= read_level <= 255:
                raise ValidationError(_("阅读权限必须在 0 到 255 之间。"), code="read_level")
            Thread.objects.filter(pk=thread.pk).update(read_level=read_level)
            thread.read_level = read_level
        subject_changed = subject is not None and subject != thread.subject
        type_changed = is_op and getattr(new_type, "pk", None) != thread.type_id
        if (
            body.source == locked.source
            and body.fmt == locked.format
            and not subject_changed
            and not type_changed
        ):
            return locked
        PostRevision.objects.create(
            post=locked,
            editor=editor,
            editor_name=editor.username,
            created=now,
            source=locked.source,
            format=locked.format,
            subject=thread.subject if is_op else "",
            reason=reason,
        )
        locked.source = body.source
        locked.format = body.fmt
        locked.html = markup.render(body.source, body.fmt)
        locked.renderer_version = markup.RENDERER_VERSION
        fields = ["source", "format", "html", "renderer_version"]
        if (now - locked.created).total_seconds() > EDIT_NOTICE_AFTER_SECONDS:
            locked.edited_at = now
            locked.edited_by_name = editor.username
            fields += ["edited_at", "edited_by_name"]
        locked.save(update_fields=fields)
        if subject_changed or type_changed:
            Thread.objects.filter(pk=thread.pk).update(
                subject=subject if subject_changed else thread.subject, type=new_type
            )
            transaction.on_commit(lambda: search.reindex_thread(thread.pk))
        else:
            transaction.on_commit(lambda: search.reindex_post(locked.pk))
    return locked


def _refresh_board_last(board_id: int) -> None:
    """Set the board's last thread/post to its NORMAL thread with the newest last post
    (the rule of :func:`luntan.threads.counters.rebuild_board_counters`)."""
    newest = (
        Thread.objects.filter(board_id=board_id, state=Thread.State.NORMAL)
        .order_by("-last_post_at", "-pk")
        .values_list("pk", "last_post_at", "last_poster_name")
        .first()
    )
    pk, at, name = newest or (None, None, "")
    Board.objects.filter(pk=board_id).update(
        last_thread_id=pk, last_post_at=at, last_poster_name=name or ""
    )


def delete_post(*, post: Post, actor: User, now: datetime | None = None) -> Post:
    """Delete ``post`` (删除帖子) as ``actor``: a soft delete; nothing is erased.

    A reply becomes ``DELETED`` (Discuz! ``invisible = -5``, the reply recycle bin); its
    floor stays and the thread page shows 该帖已被删除. Deleting the OP (floor 1) moves the
    whole thread to the recycle bin (``Thread.State.RECYCLED``; its visible posts become
    ``Post.State.RECYCLED``, Discuz! ``displayorder = -1`` / ``invisible = -1``), as
    Discuz!'s ``topicadmin.php?action=delpost`` does when the first post is chosen.
    Counters after the call equal what :func:`luntan.threads.counters.rebuild_all`
    computes: thread replies/last post (a recycled thread keeps its own), board
    threads/posts/last post, authors' posts/threads. The search index is refreshed on
    commit. ``actor`` and ``now`` are for the moderation log (a later issue).
    Returns the post as saved. Raises ``ValidationError`` when the post is already
    deleted or its thread is not visible.
    """
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        locked = Post.objects.get(pk=post.pk)
        if thread.state != Thread.State.NORMAL or locked.state != Post.State.VISIBLE:
            raise ValidationError(_("该帖已被删除。"), code="deleted")
        if locked.floor == 1:
            _recycle_thread(thread)
            locked.state = Post.State.RECYCLED
            return locked
        Post.objects.filter(pk=locked.pk).update(state=Post.State.DELETED)
        locked.state = Post.State.DELETED
        newest = (
            Post.objects.filter(thread=thread, state=Post.State.VISIBLE)
            .order_by("-floor")
            .values_list("created", "author_name")
            .first()
        )
        last_at, last_name = newest or (thread.created, thread.last_poster_name)
        Thread.objects.filter(pk=thread.pk).update(
            replies=F("replies") - 1, last_post_at=last_at, last_poster_name=last_name
        )
        Board.objects.filter(pk=thread.board_id).update(
            posts=F("posts") - 1, **board_counters.day_updates(locked.created, -1)
        )
        if last_at != thread.last_post_at:
            _refresh_board_last(thread.board_id)
        if locked.author_id:
            User.objects.filter(pk=locked.author_id, posts__gt=0).update(posts=F("posts") - 1)
        credits.revoke_post(locked, now=now)
        transaction.on_commit(lambda: search.reindex_post(locked.pk))
    return locked


def _recycle_thread(thread: Thread) -> None:
    """Move a locked, NORMAL ``thread`` and its visible posts to the recycle bin."""
    visible = Post.objects.filter(thread=thread, state=Post.State.VISIBLE)
    by_author = list(
        visible.exclude(author=None)
        .order_by()
        .values_list("author_id")
        .annotate(n=Count("*"))
        .values_list("author_id", "n")
    )
    by_day: dict = {}  # 今日/昨日 lose the thread's posts of the last two days
    for created in visible.filter(created__gte=site_day_starts()[1]).values_list("created", flat=True):  # fmt: skip
        day = board_counters.site_date(created)
        by_day[day] = (created, by_day.get(day, (created, 0))[1] + 1)
    for created, n in by_day.values():
        board_counters.add_posts(thread.board_id, created, -n)
    visible.update(state=Post.State.RECYCLED)
    Thread.objects.filter(pk=thread.pk).update(state=Thread.State.RECYCLED)
    Board.objects.filter(pk=thread.board_id).update(
        threads=F("threads") - 1, posts=F("posts") - (thread.replies + 1)
    )
    _refresh_board_last(thread.board_id)
    for author_id, n in by_author:
        User.objects.filter(pk=author_id).update(posts=F("posts") - n)
    if thread.author_id:
        User.objects.filter(pk=thread.author_id, threads__gt=0).update(threads=F("threads") - 1)
    credits.revoke_thread(thread)
    transaction.on_commit(lambda: search.reindex_thread(thread.pk))
