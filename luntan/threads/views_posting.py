"""Posting pages: 发新帖 (/f/<id>/new/), 回复 and 快速回复 (/t/<id>/reply/), 编辑
(/p/<id>/edit/), 删除 (/p/<id>/delete/), 编辑记录 (/p/<id>/revisions/) and the preview
used by the editor (/preview/).

Each view parses the form, checks permissions through :mod:`luntan.permissions`, builds
one request of the posting pipeline (:mod:`luntan.threads.posting`: the pipeline opens the
transaction, binds attachments, screens, holds for review) and renders its result. Every page works without
JavaScript (plain POST, then a redirect to the new post's permalink); with htmx the quick
reply answers with the new floor's HTML, which the page appends. Guests are sent to the
login page; other refusals get a 403 page in the site layout with the reason. Bad input
gives the form back with Chinese messages, never a server error, and writes nothing.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luntan import markup, permissions
from luntan.accounts.models import User
from luntan.boards.models import Board
from luntan.boards.queries import breadcrumbs
from luntan.core.models import get_site_settings
from luntan.core.parsing import parse_id
from luntan.permissions.posting import posting_limits_apply, posting_rights
from luntan.permissions.viewer import ViewerRequest
from luntan.threads import posting, queries
from luntan.threads.extras import post_annotations
from luntan.threads.forms import EditForm, NewThreadForm, ReplyForm, new_form_token
from luntan.threads.models import Post, PostRevision, Thread
from luntan.threads.page import ThreadPage
from luntan.threads.posting import PostInput, Trust
from luntan.threads.posting import preview as previews
from luntan.threads.revision_diff import diff_html


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _member(request: HttpRequest) -> User:
    """The signed-in member (the permission checks before let no guest through)."""
    return cast(User, request.user)


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    """The 403 page in the site layout, telling the member why (提示信息)."""
    return render(request, "threads/forbidden.html", {"reason": reason}, status=403)


def _login_or_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return forbidden(request, str(exc) or _("您没有权限进行此操作。"))


def _trust(request: ViewerRequest, moderator: bool) -> Trust:
    """``Trust.MEMBER`` unless the member moderates the board (Discuz! ``disablepostctrl``)."""
    if posting_limits_apply(request.viewer, moderator=moderator):
        return Trust.MEMBER
    return Trust.MODERATOR


def held_notice(request: HttpRequest, message: str) -> HttpResponse:
    """The page (or, for htmx, the fragment) telling the author their post awaits review
    (``message``: the pipeline's :attr:`~luntan.threads.posting.PostResult.message`)."""
    if _is_htmx(request):
        return HttpResponse(
            format_html('<div class="notice pending-review" role="status">{}</div>', message)
        )
    return render(request, "threads/held.html", {"message": message})


def _body(form) -> PostInput:
    return PostInput(form.cleaned_data["body"], form.cleaned_data["format"])


def _preview_html(request: HttpRequest) -> str | None:
    """Sanitised HTML of the submitted body when the preview button was pressed (a notice
    instead when the member previews too often, :mod:`luntan.threads.posting.preview`)."""
    if "preview" not in request.POST:
        return None
    html = previews.render_preview(
        request.user, request.POST.get("body", ""), request.POST.get("format", "")
    )
    if html is None:
        return format_html('<p class="notice" role="alert">{}</p>', previews.refusal_message())
    return html


def _load_thread(pk: str) -> Thread:
    return queries.get_visible_thread(int(pk))


def _load_post(pk: str) -> Post:
    try:
        post = Post.objects.select_related("thread__board__parent__parent", "thread__type").get(
            pk=int(pk)
        )
    except Post.DoesNotExist:
        raise Http404 from None
    if post.state == Post.State.PENDING or post.thread.state != Thread.State.NORMAL:
        raise Http404
    return post


def _quoted(thread: Thread, raw: str | None) -> Post | None:
    pk = parse_id(raw)
    if pk is None:
        return None
    # only what the thread page shows in full (a 屏蔽 post is not quoted)
    return posting.quotable_posts(thread).filter(pk=pk).first()


# --- new thread ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def new_thread(request: ViewerRequest, pk: str) -> HttpResponse:
    """发新帖 in board ``pk``: thread type (required where the board says so), subject,
    body, format, preview. On success 302 to the new thread."""
    try:
        board = Board.objects.select_related("parent__parent").get(pk=int(pk))
    except Board.DoesNotExist:
        raise Http404 from None
    permissions.check_view_board(request.viewer, board)
    try:
        permissions.check_start_thread(request.viewer, board)
    except PermissionDenied as exc:
        return _login_or_forbidden(request, exc)
    moderator = permissions.is_moderator(request.viewer, board)
    form = NewThreadForm(
        request.POST or None,
        request.FILES or None,
        board=board,
        user=request.user,
        viewer=request.viewer,
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = _preview_html(request)
        if preview is None:
            try:
                result = posting.submit(
                    posting.PostRequest(
                        author=_member(request),
                        body=_body(form),
                        trust=_trust(request, moderator),
                        board=board,
                        subject=form.cleaned_data["subject"],
                        thread_type=form.cleaned_data.get("type"),
                        read_level=form.cleaned_data.get("read_level") or 0,
                        **form.request_fields(),
                        token=form.cleaned_data["token"],
                        ip=_ip(request),
                        viewer=request.viewer,
                    )
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                if result.held:  # waits in the review queue
                    return held_notice(request, result.message)
                return HttpResponseRedirect(result.thread.get_absolute_url())
    elif request.method == "POST":
        preview = _preview_html(request)
    return render(
        request,
        "threads/new_thread.html",
        {"board": board, "form": form, "preview": preview, "crumbs": breadcrumbs(board)},
    )


# --- reply --------------------------------------------------------------------------------


def _reply_page(request, thread, form, *, quote=None, preview=None, status=200) -> HttpResponse:
    return render(
        request,
        "threads/reply.html",
        {
            "thread": thread,
            "board": thread.board,
            "crumbs": breadcrumbs(thread.board),
            "form": form,
            "quote": quote,
            "preview": preview,
        },
        status=status,
    )


def _quick_reply_again(request, thread, form, *, error: str | None = None) -> HttpResponse:
    """The quick reply box with its errors, swapped over the old one (htmx)."""
    if error:
        form.add_error(None, error)
    response = render(
        request,
        "threads/_quick_reply.html",
        {"thread": thread, "qr_form": form, "qr_page": request.POST.get("page", "")},
    )
    response["HX-Retarget"] = "#fastpost"
    response["HX-Reswap"] = "outerHTML"
    return response


def _new_floor(request: ViewerRequest, thread: Thread, post: Post) -> HttpResponse:
    """htmx answer to a quick reply: the new floor's HTML (appended to the floors), a new
    form token and an empty preview, swapped out of band. When the floor is not on the
    page the member is looking at, the browser is sent to its permalink instead."""
    per_page = settings.LUNTAN_POSTS_PER_PAGE
    shown_page = parse_id(request.POST.get("page"))
    site = get_site_settings()
    rights = posting_rights(request.viewer, thread, window_seconds=site.edit_window_seconds)
    for name in queries.HOLE_FIELDS:
        thread.__dict__.pop(name, None)  # read before the new post: count again
    if shown_page != queries.page_of_floor(thread, post.floor, per_page, rights.moderator):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = post.get_absolute_url()
        return response
    # The same read model and template as the thread page, for this one floor.
    floors = (
        ThreadPage(
            thread, viewer=request.viewer, rights=rights, region_level=site.ip_location_level
        )
        .load_post(post.pk)
        .render()
    )
    replies = Thread.objects.filter(pk=thread.pk).values_list("replies", flat=True).first()
    fresh_form = ReplyForm(user=request.user, viewer=request.viewer)
    captcha = ""
    if "captcha" in fresh_form.fields:  # a solution works once: the next reply needs a new one
        captcha = format_html(
            '<div class="captcha-row" id="captcha-row" hx-swap-oob="true">{}</div>',
            fresh_form["captcha"],
        )
    oob = format_html(
        '<input type="hidden" name="token" id="qr-token" value="{}" hx-swap-oob="true">'
        '<div id="qr-preview" class="preview" hx-swap-oob="true"></div>'
        '<div id="qr-errors" hx-swap-oob="true"></div>'
        '<b class="replies" id="th-replies" hx-swap-oob="true">{}</b>',
        new_form_token(),
        replies or 0,
    )
    return HttpResponse(floors + oob + captcha)


@require_http_methods(["GET", "POST"])
def reply(request: ViewerRequest, pk: str) -> HttpResponse:
    """回复 thread ``pk``. GET: the full reply page (``?quote=<post id>`` shows the quoted
    post and quotes it; ``?to=<post id>`` starts the text with ``@author``). POST: from
    that page or the quick reply box; 302 to the new floor's permalink, or with htmx the
    new floor's HTML. Errors: the form again (htmx: the quick reply box, swapped in)."""
    thread = _load_thread(pk)
    permissions.check_view_thread(request.viewer, thread)
    htmx = _is_htmx(request)
    moderator = permissions.is_moderator(request.viewer, thread.board)
    try:
        permissions.check_reply(request.viewer, thread, moderator=moderator)
    except PermissionDenied as exc:
        if htmx and request.user.is_authenticated and request.method == "POST":
            form = ReplyForm(request.POST, user=request.user, viewer=request.viewer)
            return _quick_reply_again(request, thread, form, error=str(exc))
        return _login_or_forbidden(request, exc)

    if request.method == "GET":
        quote = _quoted(thread, request.GET.get("quote"))
        initial: dict[str, object] = {"quote": quote.pk} if quote else {}
        to = _quoted(thread, request.GET.get("to"))
        if to is not None and not to.is_anonymous and to.author_name:
            initial["body"] = f"@{to.author_name} "
        form = ReplyForm(initial=initial, user=request.user, viewer=request.viewer)
        return _reply_page(request, thread, form, quote=quote)

    form = ReplyForm(request.POST, request.FILES, user=request.user, viewer=request.viewer)
    quote = _quoted(thread, request.POST.get("quote"))
    if not form.is_valid():
        if htmx:
            return _quick_reply_again(request, thread, form)
        return _reply_page(request, thread, form, quote=quote, preview=_preview_html(request))
    preview = _preview_html(request)
    if preview is not None:
        return _reply_page(request, thread, form, quote=quote, preview=preview)
    try:
        result = posting.submit(
            posting.PostRequest(
                author=_member(request),
                body=_body(form),
                trust=_trust(request, moderator),
                thread=thread,
                quote=quote,
                **form.request_fields(),
                token=form.cleaned_data["token"],
                ip=_ip(request),
                viewer=request.viewer,
            )
        )
    except ValidationError as exc:
        form.add_service_error(exc)
        if htmx:
            return _quick_reply_again(request, thread, form)
        return _reply_page(request, thread, form, quote=quote)
    post = result.post
    if result.held:  # waits in the review queue
        return held_notice(request, result.message)
    if htmx:
        return _new_floor(request, thread, post)
    return HttpResponseRedirect(post.get_absolute_url())


# --- edit ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def edit(request: ViewerRequest, pk: str) -> HttpResponse:
    """编辑 post ``pk``: body and format (the OP also subject and type), an edit reason,
    preview. The author may within the site's edit window, moderators always. On success
    302 to the post's permalink."""
    post = _load_post(pk)
    thread = post.thread
    permissions.check_view_thread(request.viewer, thread)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    site = get_site_settings()
    moderator = permissions.is_moderator(request.viewer, thread.board)
    try:
        permissions.check_edit_post(
            request.viewer, post, window_seconds=site.edit_window_seconds, moderator=moderator
        )
    except PermissionDenied as exc:
        return _login_or_forbidden(request, exc)
    is_op = post.floor == 1
    initial: dict[str, object] = {"body": post.source, "format": post.format}
    if is_op:
        initial.update(subject=thread.subject, type=thread.type_id, read_level=thread.read_level)
    form = EditForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        board=thread.board,
        is_op=is_op,
        user=request.user,
        viewer=request.viewer,
    )
    preview = _preview_html(request) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid() and preview is None:
        extra = {}
        if is_op:
            extra["subject"] = form.cleaned_data["subject"]
            if form.has_types:
                extra["thread_type"] = form.cleaned_data.get("type")
            if "read_level" in form.fields:  # 阅读权限: moderators and allowed authors
                extra["read_level"] = form.cleaned_data.get("read_level") or 0
        try:
            saved = posting.edit(
                posting.EditRequest(
                    post=post,
                    editor=_member(request),
                    body=_body(form),
                    trust=_trust(request, moderator),
                    reason=form.cleaned_data.get("reason", ""),
                    **form.request_fields(),
                    **extra,
                    viewer=request.viewer,
                )
            ).post
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            return HttpResponseRedirect(saved.get_absolute_url())
    return render(
        request,
        "threads/edit.html",
        {
            "post": post,
            "thread": thread,
            "board": thread.board,
            "crumbs": breadcrumbs(thread.board),
            "form": form,
            "preview": preview,
            "is_op": is_op,
        },
    )


# --- delete -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def delete(request: ViewerRequest, pk: str) -> HttpResponse:
    """删除 post ``pk``: GET asks for confirmation, POST deletes (soft). Deleting the OP
    sends the thread to the recycle bin and redirects to the board; otherwise a moderator
    of the board goes back to the floor, which now reads 该帖已被删除, and anyone else (who
    no longer sees the floor) to the visible floor before it."""
    post = _load_post(pk)
    thread = post.thread
    permissions.check_view_thread(request.viewer, thread)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        permissions.check_delete_post(request.viewer, post)
    except PermissionDenied as exc:
        return _login_or_forbidden(request, exc)
    error = None
    if request.method == "POST":
        # A moderator deleting someone's post acts as moderator (the moderation log records
        # it); an author deleting their own post acts as member.
        trust = Trust.MODERATOR if post.author_id != request.user.pk else Trust.MEMBER
        try:
            posting.delete(
                posting.DeleteRequest(
                    post=post, actor=_member(request), trust=trust, ip=_ip(request)
                )
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            if post.floor == 1:
                return HttpResponseRedirect(thread.board.get_absolute_url())
            if permissions.is_moderator(request.viewer, thread.board):
                return HttpResponseRedirect(post.get_absolute_url())
            before = (
                Post.objects.filter(thread=thread, state=Post.State.VISIBLE, floor__lt=post.floor)
                .order_by("-floor")
                .only("pk")
                .first()
            )
            target = before.get_absolute_url() if before else thread.get_absolute_url()
            return HttpResponseRedirect(target)
    return render(
        request,
        "threads/delete.html",
        {
            "post": post,
            "thread": thread,
            "board": thread.board,
            "crumbs": breadcrumbs(thread.board),
            "error": error,
        },
    )


# --- revisions ----------------------------------------------------------------------------


def revisions(request: ViewerRequest, pk: str) -> HttpResponse:
    """编辑记录 of post ``pk``, newest first: each earlier version rendered (sanitised) with
    who replaced it, when and why, and a diff (``<del>``/``<ins>``) of its source against
    the version that replaced it. Who may see it: :func:`luntan.permissions.can_view_revisions`
    (the board's moderators and the author; a 屏蔽 post's only for moderators); guests are
    sent to log in, others get 403. Discuz! has no history; this follows Discourse's view."""
    post = _load_post(pk)
    thread = post.thread
    permissions.check_view_thread(request.viewer, thread)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    flags = Post.objects.annotate(**post_annotations()).get(pk=post.pk)
    if not permissions.can_view_revisions(
        request.viewer, post, withheld=bool(getattr(flags, "is_banned", False))
    ):
        return forbidden(request, _("只有作者和版主可以查看编辑记录。"))
    rows = list(PostRevision.objects.filter(post=post).order_by("-created", "-pk"))
    newer = post.source
    for rev in rows:
        setattr(rev, "rendered", markup.render(rev.source, rev.format))  # noqa: B010
        setattr(rev, "diff", diff_html(rev.source, newer))  # noqa: B010
        newer = rev.source
    return render(
        request,
        "threads/revisions.html",
        {
            "post": post,
            "thread": thread,
            "board": thread.board,
            "crumbs": breadcrumbs(thread.board),
            "revisions": rows,
        },
    )


# --- preview ------------------------------------------------------------------------------


@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """``POST /preview/`` (``body``, ``format``): the sanitised HTML the post would show,
    for the editor's 预览 button with htmx. Members only (403 for guests); rate limited
    like posting (429 with a notice, :mod:`luntan.threads.posting.preview`)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    html = previews.render_preview(
        request.user, request.POST.get("body", ""), request.POST.get("format", "")
    )
    if html is None:  # rate limited like posting
        message = format_html('<p class="notice" role="alert">{}</p>', previews.refusal_message())
        status = 200 if _is_htmx(request) else 429  # htmx swaps 2xx answers only
        return render(request, "threads/_preview.html", {"preview": message}, status=status)
    return render(request, "threads/_preview.html", {"preview": html})
