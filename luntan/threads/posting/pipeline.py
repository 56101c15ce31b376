"""The posting pipeline: :func:`submit` (发新帖, 回复, 引用), :func:`edit` (编辑) and
:func:`delete` (删除). Each call is one transaction that the pipeline opens itself.

Order of a :func:`submit`:

1. checks without the database: body, format, subject, token, board kind, thread type,
   阅读权限; a repeated token returns the earlier post (``PostResult.duplicate``);
2. for ``Trust.MEMBER``: length limits (:class:`PostingLimits`) and markup rights
   (:func:`luntan.permissions.check_markup_rights`);
3. screeners (:func:`hooks.register_screener`, the censor): replacements, 禁止 refuses,
   审核 holds the post; ``Trust.MEMBER`` posts are also held by the new post review
   (:func:`luntan.permissions.new_post_needs_review`);
4. ``@name`` mentions become links (:mod:`luntan.threads.mentions`); a quote is checked
   against what the thread page shows (:func:`quotable_posts`) and put before the text;
5. the transaction: the thread row lock (replies: floors are given out under it), the
   member's row lock and flood control (``Trust.MEMBER``), the thread/post rows (``PENDING``
   when held: nothing counted, nothing indexed), counters with ``F()``, attachment binding
   (:func:`hooks.register_binder`), the after-write hooks (polls, held posts too), the
   after-create hooks (credits) and, on commit, the
   search index.

Errors are ``ValidationError`` with Chinese messages and a ``code`` (``subject``,
``empty``, ``too_short``, ``too_long``, ``format``, ``flood``, ``closed``, ``thread``,
``quote``, ``censor``, ``control`` (a C0 control character in the body), ``type``, ``board``, ``read_level``, ``token``, ``upload`` …) that
the forms put on the right field; nothing is written then.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luntan import markup
from luntan.accounts.models import User
from luntan.boards import counters as board_counters
from luntan.boards.models import Board, ThreadType
from luntan.boards.queries import site_day_starts
from luntan.core.models import site_time_zone
from luntan.core.parsing import has_control_chars
from luntan.iplocation import lookup_region
from luntan.permissions import can_upload, check_markup_rights
from luntan.permissions.posting import new_post_needs_review
from luntan.threads.mentions import link_mentions, lookup_usernames
from luntan.threads.models import Post, PostRevision, Thread
from luntan.threads.posting import hooks
from luntan.threads.posting.types import (
    DeleteRequest,
    EditRequest,
    PostingLimits,
    PostInput,
    PostRequest,
    PostResult,
    Trust,
)

SUBJECT_MAX_LENGTH = 80
#: An edit later than this after posting shows "本帖最后由 X 于 <time> 编辑" (Discuz!'s
#: ``post_editpost.php``: ``$_G['timestamp'] - $orig['dateline'] > 60``).
EDIT_NOTICE_AFTER_SECONDS = 60
TOKEN_MAX_LENGTH = 32
#: The notice when a post is held by the new post review setting (not a censor word).
REVIEW_MESSAGE = gettext_noop("您的帖子需要审核，审核通过后才会显示")

_BB_QUOTE = re.compile(r"\[quote\].*?\[/quote\]", re.I | re.S)


# --- checks without the database ------------------------------------------------------


def discuz_length(text: str) -> int:
    """Length of ``text`` as Discuz! X3.4 measures posts (``dstrlen`` in
    ``source/function/function_core.php``): 1 for an ASCII character, 2 for any other
    (a Chinese character counts 2), so the default minimum of 10 takes five Chinese
    characters (the seed thread's 一定要和谐) or ten Latin letters."""
    return sum(1 if ord(ch) < 128 else 2 for ch in text)


def _check_body(body: PostInput) -> None:
    if has_control_chars(body.source):
        raise ValidationError(_("内容包含不允许的控制字符，请删除后再提交。"), code="control")
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


def _check_length(body: PostInput, limits: PostingLimits) -> None:
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


def _check_token(token: str) -> str:
    token = (token or "").strip()
    if len(token) > TOKEN_MAX_LENGTH:
        raise ValidationError(_("表单已失效，请刷新页面后重新提交。"), code="token")
    return token


def check_subject(subject: str) -> str:
    """``subject`` with runs of white space collapsed; raises ``ValidationError`` (code
    ``subject``) when it is empty or longer than :data:`SUBJECT_MAX_LENGTH` characters
    (Discuz! ``forum_thread.subject`` char(80)), and when it holds a
    C0 control character other than tab and line breaks (they break the XML feeds)."""
    if has_control_chars(subject):
        raise ValidationError(_("标题包含不允许的控制字符，请删除后再提交。"), code="subject")
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


def _check_read_level(read_level: int) -> None:
    if not 0 <= read_level <= 255:
        raise ValidationError(_("阅读权限必须在 0 到 255 之间。"), code="read_level")


def _limits(trust: Trust, given: PostingLimits | None) -> PostingLimits | None:
    if trust is Trust.IMPORT:
        raise ValueError("Trust.IMPORT writes go through luntan.threads.posting.bulk")
    if trust is not Trust.MEMBER:
        return None
    return given if given is not None else PostingLimits.from_site()


def _screen(
    subject: str | None, body: PostInput, *, edit: bool
) -> tuple[str | None, PostInput, str]:
    hold = ""
    for screener in hooks.screeners():
        verdict = screener(subject, body, edit=edit)
        subject, body = verdict.subject if subject is not None else None, verdict.body
        hold = hold or verdict.hold_message
    return subject, body, hold


def _with_mentions(body: PostInput) -> PostInput:
    if "@" not in body.source:
        return body
    return PostInput(link_mentions(body.source, body.fmt, lookup_usernames), body.fmt)


def _post_by_token(author: User, token: str) -> Post | None:
    if not token:
        return None
    return Post.objects.filter(author=author, form_token=token).first()


# --- quotes ---------------------------------------------------------------------------


def quotable_posts(thread: Thread) -> QuerySet:
    """The posts of ``thread`` a reply may quote: visible, and shown in full by the thread
    page (the registered quote filters leave out e.g. 屏蔽 posts of
    :mod:`luntan.moderation`), so a quote never shows more than the page does."""
    return hooks.shown_in_full(Post.objects.filter(thread=thread, state=Post.State.VISIBLE))


def _quoted_body(thread: Thread, quote: Post, body: PostInput) -> PostInput:
    if quote.thread_id != thread.pk or not quotable_posts(thread).filter(pk=quote.pk).exists():
        raise ValidationError(_("只能引用本主题中的帖子。"), code="quote")
    local = timezone.localtime(quote.created, site_time_zone())
    header_time = f"{local.year}-{local.month}-{local.day} {local:%H:%M}"
    if body.fmt == Post.Format.BBCODE:
        quoted = markup.quote_source(
            quote.author_name, header_time, quote.get_absolute_url(), quote.source, quote.format
        )
        return PostInput(quoted + body.source, body.fmt)
    # A Markdown reply quotes with a Markdown blockquote of the quoted post's plain text.
    lines = markup.render_plain(quote.source, quote.format).splitlines() or [""]
    header = f"> **{quote.author_name} 发表于 {header_time}**"
    return PostInput(
        "\n".join([header, ">", *(f"> {line}" for line in lines)]) + "\n\n" + body.source,
        body.fmt,
    )


# --- rows -----------------------------------------------------------------------------


def _lock_member_and_check_flood(
    author: User, limits: PostingLimits | None, now: datetime | None
) -> datetime:
    """Lock the author's row (PostgreSQL ``SELECT … FOR UPDATE``; SQLite holds the write
    lock since ``BEGIN IMMEDIATE``), then refuse a post sooner than ``flood_seconds``
    after the member's newest post (one query on the ``(author, -created)`` index).
    Parallel posts of one member queue on the lock, so the second sees the first.
    Returns the time of the post (``now``, or the current time read after the lock)."""
    if limits is None or not limits.flood_seconds:
        return now or timezone.now()
    User.objects.select_for_update().filter(pk=author.pk).values_list("pk", flat=True).first()
    now = now or timezone.now()
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
    return now


def _new_post(
    thread: Thread,
    floor: int,
    author: User,
    body: PostInput,
    ip: str | None,
    now: datetime,
    token: str,
    state: int,
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
        state=state,
    )


def _bind(post: Post, board: Board, ids, user: User, uploads=(), viewer=None) -> None:
    ids = list(dict.fromkeys(int(i) for i in ids))
    uploads = tuple(uploads)
    if not ids and not uploads:
        return
    if not hooks.binders():
        raise ValidationError(_("附件功能未启用。"), code="upload")
    if not can_upload(viewer or user, board):  # 允许上传附件 (postattachperm)
        raise ValidationError(_("抱歉，您不能在本版块上传附件。"), code="upload")
    for binder in hooks.binders():
        binder(post, ids, user, uploads)


# --- submit ---------------------------------------------------------------------------


def submit(request: PostRequest) -> PostResult:
    """Write a new thread (``request.thread`` None, ``request.board`` set) or a reply.

    Returns a :class:`PostResult`; ``held`` (with ``message``) when the post waits for
    review: then the thread (for a new thread) and the post are ``PENDING`` (Discuz!
    ``displayorder = -2`` / ``invisible = -2``), nothing is counted or indexed until the
    review queue (:mod:`luntan.moderation`) approves it, and a held reply still takes its
    floor (``max_floor`` moves, floors stay unique). Raises ``ValidationError`` (see the
    module doc) and ``ValueError`` for ``Trust.IMPORT`` (use :mod:`.bulk`).
    """
    limits = _limits(request.trust, request.limits)
    body = request.body
    _check_body(body)
    token = _check_token(request.token)
    author = request.author
    if request.thread is None:
        board = request.board
        if board is None:
            raise ValueError("a PostRequest needs a board or a thread")
        subject: str | None = check_subject(request.subject)
        if board.kind == Board.Kind.CATEGORY or board.redirect_url:
            raise ValidationError(_("该版块不能发帖。"), code="board")
        _check_thread_type(board, request.thread_type)
        _check_read_level(request.read_level)
    else:
        board = request.thread.board
        subject = None
    existing = _post_by_token(author, token)
    if existing is not None:
        return PostResult(existing, existing.thread, duplicate=True)
    if limits is not None:
        _check_length(body, limits)
    if request.trust is Trust.MEMBER:
        check_markup_rights(author, body.source, body.fmt)
    subject, body, hold = _screen(subject, body, edit=False)  # 词语过滤
    body = _with_mentions(body)
    if request.thread is not None and request.quote is not None:
        body = _quoted_body(request.thread, request.quote, body)
    if not hold and request.trust is Trust.MEMBER and new_post_needs_review(author, board):
        hold = REVIEW_MESSAGE  # 新用户发帖审核
    try:
        if request.thread is None:
            result = _create_thread(request, board, subject or "", body, token, limits, hold)
        else:
            result = _reply(request, body, token, limits, hold)
    except IntegrityError:
        existing = _post_by_token(author, token)  # the same form, submitted twice at once
        if existing is None:
            raise
        return PostResult(existing, existing.thread, duplicate=True)
    return result


def _create_thread(
    request: PostRequest,
    board: Board,
    subject: str,
    body: PostInput,
    token: str,
    limits: PostingLimits | None,
    hold: str,
) -> PostResult:
    author = request.author
    with transaction.atomic():
        now = _lock_member_and_check_flood(author, limits, request.now)
        thread = Thread.objects.create(
            board=board,
            type=request.thread_type,
            read_level=request.read_level,
            subject=subject,
            author=author,
            author_name=author.username,
            created=now,
            last_post_at=now,
            last_poster_name=author.username,
            max_floor=1,
            state=Thread.State.PENDING if hold else Thread.State.NORMAL,
        )
        state = Post.State.PENDING if hold else Post.State.VISIBLE
        post = _new_post(thread, 1, author, body, request.ip, now, token, state)
        _bind(post, board, request.attachment_ids, author, request.uploads, request.viewer)
        result = PostResult(post, thread, held=bool(hold), message=_(hold) if hold else "")
        for hook in hooks.on_written():
            hook(request, result)
        if not hold:
            Board.objects.filter(pk=board.pk).update(
                threads=F("threads") + 1,
                posts=F("posts") + 1,
                last_thread=thread,
                last_post_at=now,
                last_poster_name=author.username,
                **board_counters.day_updates(now),
            )
            User.objects.filter(pk=author.pk).update(posts=F("posts") + 1, threads=F("threads") + 1)
            for hook in hooks.on_created():
                hook(request, result)
            transaction.on_commit(lambda: hooks.thread_changed(thread.pk))
    return result


def _reply(
    request: PostRequest, body: PostInput, token: str, limits: PostingLimits | None, hold: str
) -> PostResult:
    author, thread = request.author, request.thread
    assert thread is not None
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        existing = _post_by_token(author, token)  # a double submit queued behind the first
        if existing is not None:
            return PostResult(existing, existing.thread, duplicate=True)
        if locked.closed and request.trust is not Trust.MODERATOR:
            raise ValidationError(_("该主题已关闭，不能回复。"), code="closed")
        if locked.state != Thread.State.NORMAL:
            raise ValidationError(_("该主题不存在或已被删除。"), code="thread")
        now = _lock_member_and_check_flood(author, limits, request.now)
        floor = locked.max_floor + 1
        state = Post.State.PENDING if hold else Post.State.VISIBLE
        post = _new_post(locked, floor, author, body, request.ip, now, token, state)
        _bind(post, thread.board, request.attachment_ids, author, request.uploads, request.viewer)
        result = PostResult(post, locked, held=bool(hold), message=_(hold) if hold else "")
        for hook in hooks.on_written():
            hook(request, result)
        if hold:
            Thread.objects.filter(pk=locked.pk).update(max_floor=floor)
        else:
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
            for hook in hooks.on_created():
                hook(request, result)
            transaction.on_commit(lambda: hooks.post_changed(post.pk))
    thread.max_floor = floor
    return result


# --- edit -----------------------------------------------------------------------------


def edit(request: EditRequest) -> PostResult:
    """Edit a post (编辑), keeping what it was as a :class:`PostRevision`.

    Body and subject rules as for :func:`submit` (length limits and markup rights for
    ``Trust.MEMBER``; no flood control); the screeners run with ``edit=True`` (an edit
    that would need review is refused: the post is already public). An edit more than
    :data:`EDIT_NOTICE_AFTER_SECONDS` after posting sets ``edited_at``/``edited_by_name``
    (the thread page's "本帖最后由 X 于 <time> 编辑"). An edit that changes nothing writes
    no revision; ``read_level`` alone writes none either. ``attachment_ids`` are bound to
    the post. The search index is refreshed on commit (the whole thread when the subject
    or type changed). Returns a :class:`PostResult`. Raises ``ValidationError`` (also
    code ``deleted`` for a deleted post or a thread that is not visible).
    """
    limits = _limits(request.trust, request.limits)
    body = request.body
    _check_body(body)
    if limits is not None:
        _check_length(body, limits)
    editor = request.editor
    if request.trust is Trust.MEMBER:
        check_markup_rights(editor, body.source, body.fmt)
    is_op = request.post.floor == 1
    subject = check_subject(request.subject) if request.subject is not None and is_op else None
    subject, body, _hold = _screen(subject, body, edit=True)  # 词语过滤
    body = _with_mentions(body)
    reason = " ".join(request.reason.split())[:200]
    now = request.now or timezone.now()
    with transaction.atomic():
        locked = (
            Post.objects.select_for_update().select_related("thread__board").get(pk=request.post.pk)
        )
        thread = locked.thread
        if locked.state != Post.State.VISIBLE or thread.state != Thread.State.NORMAL:
            raise ValidationError(_("该帖已被删除，不能编辑。"), code="deleted")
        keep_type = request.thread_type is ... or not is_op
        new_type = thread.type if keep_type else request.thread_type
        if not keep_type:
            _check_thread_type(thread.board, new_type)
        read_level = request.read_level
        if is_op and read_level is not None and read_level != thread.read_level:
            _check_read_level(read_level)
            Thread.objects.filter(pk=thread.pk).update(read_level=read_level)
            thread.read_level = read_level
        _bind(locked, thread.board, request.attachment_ids, editor, request.uploads, request.viewer)
        result = PostResult(locked, thread)
        subject_changed = subject is not None and subject != thread.subject
        type_changed = is_op and getattr(new_type, "pk", None) != thread.type_id
        if (
            body.source == locked.source
            and body.fmt == locked.format
            and not subject_changed
            and not type_changed
        ):
            return result
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
            transaction.on_commit(lambda: hooks.thread_changed(thread.pk))
        else:
            transaction.on_commit(lambda: hooks.post_changed(locked.pk))
        for on_edited in hooks.on_edited():
            on_edited(request, result)
    return result


# --- delete ---------------------------------------------------------------------------


def refresh_board_last(board_id: int) -> None:
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


def delete(request: DeleteRequest) -> Post:
    """Delete a post (删除帖子): a soft delete; nothing is erased.

    A reply becomes ``DELETED`` (Discuz! ``invisible = -5``); its floor stays and the
    thread page shows 该帖已被删除. Deleting the OP (floor 1) moves the whole thread to
    the recycle bin (``Thread.State.RECYCLED``; its visible posts ``Post.State.RECYCLED``),
    as Discuz!'s ``topicadmin.php?action=delpost`` does. Counters after the call equal
    what :func:`luntan.threads.counters.rebuild_all` computes. The after-delete hooks run
    in the transaction (credits taken back; the moderation log for ``Trust.MODERATOR``);
    the search index is refreshed on commit. Returns the post as saved. Raises
    ``ValidationError`` (code ``deleted``) when the post is already deleted or its thread
    is not visible.
    """
    if request.trust is Trust.IMPORT:
        raise ValueError("imports do not delete posts")
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=request.post.thread_id)
        locked = Post.objects.get(pk=request.post.pk)
        if thread.state != Thread.State.NORMAL or locked.state != Post.State.VISIBLE:
            raise ValidationError(_("该帖已被删除。"), code="deleted")
        before = locked.state
        if locked.floor == 1:
            _recycle_thread(thread)
            locked.state = Post.State.RECYCLED
            thread.state = Thread.State.RECYCLED
            transaction.on_commit(lambda: hooks.thread_changed(thread.pk))
        else:
            _delete_reply(thread, locked)
            transaction.on_commit(lambda: hooks.post_changed(locked.pk))
        for hook in hooks.on_deleted():
            hook(request, locked, thread, before)
    return locked


def _delete_reply(thread: Thread, locked: Post) -> None:
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
        refresh_board_last(thread.board_id)
    if locked.author_id:
        User.objects.filter(pk=locked.author_id, posts__gt=0).update(posts=F("posts") - 1)


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
    recent = visible.filter(created__gte=site_day_starts()[1]).values_list("created", flat=True)
    for created in recent:
        day = board_counters.site_date(created)
        by_day[day] = (created, by_day.get(day, (created, 0))[1] + 1)
    for created, n in by_day.values():
        board_counters.add_posts(thread.board_id, created, -n)
    visible.update(state=Post.State.RECYCLED)
    Thread.objects.filter(pk=thread.pk).update(state=Thread.State.RECYCLED)
    Board.objects.filter(pk=thread.board_id).update(
        threads=F("threads") - 1, posts=F("posts") - (thread.replies + 1)
    )
    refresh_board_last(thread.board_id)
    for author_id, n in by_author:
        User.objects.filter(pk=author_id).update(posts=F("posts") - n)
    if thread.author_id:
        User.objects.filter(pk=thread.author_id, threads__gt=0).update(threads=F("threads") - 1)
