"""Writes through the posting pipeline (:mod:`luntan.threads.posting`), with the checks
of the posting pages (:mod:`luntan.threads.views_posting`):

- ``POST /boards/{id}/threads`` — 发新帖; ``POST /threads/{id}/posts`` — 回复 and 引用
  (``quote_id``); ``PATCH /posts/{id}`` — 编辑; ``DELETE /posts/{id}`` — 删除.
- A token needs the ``write`` scope; acting on someone else's post as a moderator needs
  ``moderate`` too. The session needs the CSRF header.
- Trust as on the pages: ``Trust.MEMBER`` (length limits, flood control, markup rights,
  censor words, the review queue) unless the caller moderates the board
  (``Trust.MODERATOR``, Discuz! ``disablepostctrl``).
- Members who solve the captcha on the pages (新手上路 and below, when the captcha is on)
  can't write through the API: it has no captcha, so it refuses them (403
  ``captcha_required``) rather than let a script skip it.
- Pipeline errors are 422 problems with the pipeline's code (``too_short``, ``subject``,
  ``type``, ``censored`` …); flood control is a 429 (``flood``, with ``Retry-After``).
  A held post answers 202 with ``held`` and the message; a new post 201.
- Rate limits: ``LUNTAN_API_RATE_WRITE`` per caller and per IP, on top of the read limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Status
from ninja.throttling import BaseThrottle

from luntan import markup, permissions
from luntan.api.auth import MEMBER_AUTH, ApiRequest, MemberApiRequest, require_scope
from luntan.api.endpoints.common import ERRORS, Id, floor_out, router
from luntan.api.problems import Problem
from luntan.api.ratelimit import WRITE_THROTTLES
from luntan.api.schemas import DeletedOut, DeleteIn, EditIn, NewThreadIn, ReplyIn, WriteOut
from luntan.boards.models import Board, ThreadType
from luntan.core.models import get_site_settings
from luntan.markup import limits as markup_limits
from luntan.permissions.posting import posting_limits_apply, posting_rights
from luntan.threads import posting, queries
from luntan.threads.models import Post, Thread
from luntan.threads.page import ThreadPage
from luntan.threads.posting import PostInput, Trust

TAGS = ["posting"]


class _WriteOptions(TypedDict):
    auth: list[Callable[..., Any]]
    throttle: list[BaseThrottle]


#: ninja options of every write endpoint: members only, the write rate limits too.
WRITE: _WriteOptions = {"auth": MEMBER_AUTH, "throttle": WRITE_THROTTLES}


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _trust(request: ApiRequest, moderator: bool) -> Trust:
    if posting_limits_apply(request.viewer, moderator=moderator):
        return Trust.MEMBER
    return Trust.MODERATOR


def _no_captcha_bypass(request: ApiRequest) -> None:
    if permissions.captcha_required_for(request.viewer):
        raise Problem(
            403,
            "captcha_required",
            _("您所在的用户组发帖需要验证码，请在网页上发帖。"),
        )


def _check_markup(body: str, fmt: str) -> None:
    """The markup caps every posting form applies (:func:`luntan.markup.check_input`:
    bytes before parsing, images, smilies, tags; for everyone, staff included). Raises
    ``MarkupLimitError`` (a ``ValidationError``: a 422 problem)."""
    markup.check_input(body, fmt, markup_limits.POST)


def _refused(exc: PermissionDenied) -> Problem | PermissionDenied:
    """A posting refusal as a problem (``forbidden`` with the page's message)."""
    if isinstance(exc, permissions.BoardPasswordRequired):
        return exc
    return Problem(403, "forbidden", str(exc) or _("您没有权限进行此操作。"))


def _write_out(request: ApiRequest, result, *, created: bool = True) -> Status:
    post, thread = result.post, result.thread
    out = {
        "thread_id": thread.pk,
        "post_id": post.pk,
        "floor": post.floor,
        "held": result.held,
        "duplicate": result.duplicate,
        "message": str(result.message or ""),
        "post": None,
    }
    if result.held:
        return Status(202, out)
    loaded = queries.get_visible_thread(thread.pk)
    site = get_site_settings()
    rights = posting_rights(request.viewer, loaded, window_seconds=site.edit_window_seconds)
    view = ThreadPage(
        loaded, viewer=request.viewer, rights=rights, region_level=site.ip_location_level
    )
    try:
        view.load_post(post.pk)
    except Post.DoesNotExist:  # e.g. hidden again at once; the write stands
        return Status(201 if created else 200, out)
    out["post"] = floor_out(view.floors[0], rights)
    return Status(201 if created and not result.duplicate else 200, out)


@router.post(
    "/boards/{board_id}/threads",
    tags=TAGS,
    response={200: WriteOut, 201: WriteOut, 202: WriteOut, **ERRORS},
    summary="Start a thread",
    **WRITE,
)
def create_thread(request: MemberApiRequest, board_id: Id, data: NewThreadIn):
    """发新帖 in a board: 201 with the new OP, 202 when it waits for review, 200 for a
    repeated ``token``. The checks of ``/f/<id>/new/``."""
    require_scope(request, "write")
    board = Board.objects.select_related("parent__parent").filter(pk=board_id).first()
    if board is None:
        raise Http404
    permissions.check_view_board(request.viewer, board)
    try:
        permissions.check_start_thread(request.viewer, board)
    except PermissionDenied as exc:
        raise _refused(exc) from None
    _no_captcha_bypass(request)
    thread_type = None
    if data.type_id is not None:
        thread_type = ThreadType.objects.filter(board=board, pk=data.type_id).first()
        if thread_type is None:
            raise Problem(422, "type", _("请选择本版块的主题分类。"))
    if data.read_level and (
        not permissions.can_set_read_level(request.viewer, board)
        or data.read_level not in permissions.read_level_choices(request.viewer)
    ):
        raise Problem(422, "read_level", _("您不能设置这个阅读权限。"))
    _check_markup(data.body, data.format)
    moderator = permissions.is_moderator(request.viewer, board)
    result = posting.submit(
        posting.PostRequest(
            author=request.user,
            body=PostInput(data.body, data.format),
            trust=_trust(request, moderator),
            board=board,
            subject=data.subject,
            thread_type=thread_type,
            read_level=data.read_level,
            attachment_ids=data.attachment_ids,
            token=data.token,
            ip=_ip(request),
            viewer=request.viewer,
        )
    )
    return _write_out(request, result)


@router.post(
    "/threads/{thread_id}/posts",
    tags=TAGS,
    response={200: WriteOut, 201: WriteOut, 202: WriteOut, **ERRORS},
    summary="Reply (or quote)",
    **WRITE,
)
def create_reply(request: MemberApiRequest, thread_id: Id, data: ReplyIn):
    """回复 a thread; ``quote_id`` quotes one of its posts (引用: only what the thread
    page shows in full). The checks of ``/t/<id>/reply/``: closed threads take replies
    from moderators only."""
    require_scope(request, "write")
    thread = queries.get_visible_thread(thread_id)
    permissions.check_view_thread(request.viewer, thread)
    moderator = permissions.is_moderator(request.viewer, thread.board)
    try:
        permissions.check_reply(request.viewer, thread, moderator=moderator)
    except PermissionDenied as exc:
        raise _refused(exc) from None
    _no_captcha_bypass(request)
    quote = None
    if data.quote_id is not None:
        quote = posting.quotable_posts(thread).filter(pk=data.quote_id).first()
        if quote is None:
            raise Problem(422, "quote", _("只能引用本主题中的帖子。"))
    _check_markup(data.body, data.format)
    result = posting.submit(
        posting.PostRequest(
            author=request.user,
            body=PostInput(data.body, data.format),
            trust=_trust(request, moderator),
            thread=thread,
            quote=quote,
            attachment_ids=data.attachment_ids,
            token=data.token,
            ip=_ip(request),
            viewer=request.viewer,
        )
    )
    return _write_out(request, result)


def _load_post(pk: int) -> Post:
    post = (
        Post.objects.select_related("thread__board__parent__parent", "thread__type")
        .filter(pk=pk)
        .first()
    )
    if post is None or post.state == Post.State.PENDING:
        raise Http404
    if post.thread.state != Thread.State.NORMAL:
        raise Http404
    return post


def _others_post(request: ApiRequest, post: Post) -> None:
    """Acting on someone else's post (as a moderator) needs the ``moderate`` scope."""
    if post.author_id != request.user.pk:
        require_scope(request, "moderate")


@router.patch(
    "/posts/{post_id}",
    tags=TAGS,
    response={200: WriteOut, **ERRORS},
    summary="Edit a post",
    **WRITE,
)
def edit_post(request: MemberApiRequest, post_id: Id, data: EditIn):
    """编辑: the author within the site's edit window, moderators always (the checks of
    ``/p/<id>/edit/``). ``subject`` and ``type_id`` only for the OP. An edit that
    changes nothing writes nothing."""
    require_scope(request, "write")
    post = _load_post(post_id)
    thread = post.thread
    permissions.check_view_thread(request.viewer, thread)
    site = get_site_settings()
    moderator = permissions.is_moderator(request.viewer, thread.board)
    try:
        permissions.check_edit_post(
            request.viewer, post, window_seconds=site.edit_window_seconds, moderator=moderator
        )
    except PermissionDenied as exc:
        raise _refused(exc) from None
    _others_post(request, post)
    extra: dict = {}
    if data.subject is not None or data.type_id is not None:
        if post.floor != 1:
            raise Problem(422, "subject", _("只有楼主帖可以修改标题和主题分类。"))
        if data.subject is not None:
            extra["subject"] = data.subject
        if data.type_id is not None:
            kind = ThreadType.objects.filter(board=thread.board, pk=data.type_id).first()
            if kind is None:
                raise Problem(422, "type", _("请选择本版块的主题分类。"))
            extra["thread_type"] = kind
    _check_markup(data.body, data.format)
    saved = posting.edit(
        posting.EditRequest(
            post=post,
            editor=request.user,
            body=PostInput(data.body, data.format),
            trust=_trust(request, moderator),
            reason=data.reason,
            attachment_ids=data.attachment_ids,
            viewer=request.viewer,
            **extra,
        )
    )
    return _write_out(request, saved, created=False)


@router.delete(
    "/posts/{post_id}",
    tags=TAGS,
    response={200: DeletedOut, **ERRORS},
    summary="Delete a post",
    **WRITE,
)
def delete_post(request: MemberApiRequest, post_id: Id, data: Query[DeleteIn]):
    """删除 (soft): a reply keeps its floor (该帖已被删除); the OP sends the thread to the
    recycle bin. Authors delete their own replies, and their OP while nobody replied;
    moderators anything on their boards (logged, with ``reason``)."""
    require_scope(request, "write")
    post = _load_post(post_id)
    thread = post.thread
    permissions.check_view_thread(request.viewer, thread)
    try:
        permissions.check_delete_post(request.viewer, post)
    except PermissionDenied as exc:
        raise _refused(exc) from None
    _others_post(request, post)
    trust = Trust.MODERATOR if post.author_id != request.user.pk else Trust.MEMBER
    posting.delete(
        posting.DeleteRequest(
            post=post, actor=request.user, trust=trust, reason=data.reason, ip=_ip(request)
        )
    )
    return {"post_id": post.pk, "thread_id": thread.pk, "thread_deleted": post.floor == 1}
