"""Posts held for review: by a 审核 ({MOD}) censor word, or by the new post review
setting (Discuz! 新用户发帖审核, :func:`luntan.permissions.new_post_needs_review`).

:func:`luntan.threads.services.create_thread` and :func:`~luntan.threads.services.reply`
hand a post over here when :func:`luntan.censor.services.screen_post` says ``moderate``:
the thread (for a new thread) and the post are written ``PENDING`` (Discuz!
``displayorder = -2`` / ``invisible = -2``). Nothing is counted and nothing is indexed
until the moderators' review queue (``luntan.moderation``) approves it; a pending reply
takes its floor (the thread's ``max_floor`` moves, so floors stay unique) and the thread
page skips it meanwhile.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luntan.threads.models import Post, Thread

PENDING_MESSAGE = gettext_noop("您的帖子包含需要审核的内容，已提交审核，通过后才会显示。")
#: The notice when the post is held by the new post review setting (not a censor word).
REVIEW_MESSAGE = gettext_noop("您的帖子需要审核，审核通过后才会显示")


def create_pending_thread(
    *,
    board,
    author,
    subject,
    body,
    thread_type,
    ip,
    now,
    limits,
    token,
    message=PENDING_MESSAGE,
    read_level=0,
):
    """Write a PENDING thread with its PENDING OP (arguments as for ``create_thread``,
    ``body`` already screened). Returns the thread, whose ``pending_message`` is
    ``message`` (what :func:`pending_notice` shows)."""
    from luntan.threads import services

    with transaction.atomic():
        services._check_flood(author, limits, now)
        body = services._with_mentions(body)
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
            state=Thread.State.PENDING,
        )
        post = services._new_post(thread, 1, author, body, ip, now, token)
        Post.objects.filter(pk=post.pk).update(state=Post.State.PENDING)
    thread.pending_message = message
    return thread


def create_pending_reply(
    *, thread, author, body, ip, now, limits, token, allow_closed, message=PENDING_MESSAGE
):
    """Write a PENDING reply on the next floor of ``thread`` (arguments as for ``reply``,
    ``body`` screened and quoted). Returns the post (``pending_message`` as above)."""
    from luntan.threads import services

    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        existing = services._post_by_token(author, token)
        if existing is not None:
            return existing
        if locked.closed and not allow_closed:
            raise ValidationError(_("该主题已关闭，不能回复。"), code="closed")
        if locked.state != Thread.State.NORMAL:
            raise ValidationError(_("该主题不存在或已被删除。"), code="thread")
        services._check_flood(author, limits, now)
        floor = locked.max_floor + 1
        post = services._new_post(locked, floor, author, body, ip, now, token)
        Post.objects.filter(pk=post.pk).update(state=Post.State.PENDING)
        post.state = Post.State.PENDING
        Thread.objects.filter(pk=locked.pk).update(max_floor=floor)
    thread.max_floor = floor
    post.pending_message = message
    return post


def is_pending(obj) -> bool:
    """True for a PENDING thread or post (what the posting views ask after a write)."""
    return getattr(obj, "state", None) in (Thread.State.PENDING, Post.State.PENDING)


def pending_notice(request: HttpRequest, obj=None) -> HttpResponse:
    """The page (or, for htmx, the fragment) telling the author their post (``obj``, the
    pending thread or post) awaits review."""
    message = _(getattr(obj, "pending_message", PENDING_MESSAGE))
    if request.headers.get("HX-Request") == "true":
        return HttpResponse(f'<div class="notice pending-review" role="status">{message}</div>')
    return render(request, "censor/pending.html", {"message": message})
