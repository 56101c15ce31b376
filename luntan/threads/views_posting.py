"""Posting pages: 发新帖 (/f/<id>/new/), 回复 and 快速回复 (/t/<id>/reply/), 编辑
(/p/<id>/edit/), 删除 (/p/<id>/delete/), 编辑记录 (/p/<id>/revisions/) and the preview
used by the editor (/preview/).

Each view parses the form, checks permissions through :mod:`luntan.permissions`, calls
one service of :mod:`luntan.threads.services` and renders. Every page works without
JavaScript (plain POST, then a redirect to the new post's permalink); with htmx the quick
reply answers with the new floor's HTML, which the page appends. Guests are sent to the
login page; other refusals get a 403 page in the site layout with the reason. Bad input
gives the form back with Chinese messages, never a server error, and writes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luntan import markup, permissions
from luntan.boards.models import Board
from luntan.boards.queries import breadcrumbs
from luntan.censor import pending as censor_pending
from luntan.core.models import get_site_settings
from luntan.core.views import parse_id
from luntan.moderation import services as moderation_services
from luntan.moderation.rendering import unbanned
from luntan.permissions.posting import posting_limits_apply, posting_rights
from luntan.threads import queries, services
from luntan.threads.forms import EditForm, NewThreadForm, ReplyForm, new_form_token
from luntan.threads.models import Post, PostRevision, Thread
from luntan.threads.page import ThreadPage
from luntan.threads.services import PostingLimits, PostInput


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    """The 403 page in the site layout, telling the member why (提示信息)."""
    return render(request, "threads/forbidden.html", {"reason": reason}, status=403)


def _login_or_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return forbidden(request, str(exc) or _("您没有权限进行此操作。"))


def _limits(request: HttpRequest, moderator: bool) -> PostingLimits | None:
    if posting_limits_apply(request.user, moderator=moderator):
        return PostingLimits.from_site()
    return None


def _body(form) -> PostInput:
    return PostInput(form.cleaned_data["body"], form.cleaned_data["format"])


def _preview_html(request: HttpRequest) -> str | None:
    """Sanitised HTML of the submitted body when the preview button was pressed."""
    if "preview" not in request.POST:
        return None
    fmt = request.POST.get("format", Post.Format.BBCODE)
    if fmt not in Post.Format.values:
        fmt = Post.Format.BBCODE
    return markup.render(request.POST.get("body", ""), fmt)


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
    posts = Post.objects.filter(pk=pk, thread=thread, state=Post.State.VISIBLE)
    return unbanned(posts).first()  # a 屏蔽 post is not quoted


# --- new thread ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def new_thread(request: HttpRequest, pk: str) -> HttpResponse:
    """发新帖 in board ``pk``: thread type (required where the board says so), subject,
    body, format, preview. On success 302 to the new thread."""
    try:
        board = Board.objects.select_related("parent__parent").get(pk=int(pk))
    except Board.DoesNotExist:
        raise Http404 from None
    permissions.check_view_board(request.user, board)
    try:
        permissions.check_start_thread(request.user, board)
    except PermissionDenied as exc:
        return _login_or_forbidden(request, exc)
    moderator = permissions.is_moderator(request.user, board)
    form = NewThreadForm(
        request.POST or None, request.FILES or None, board=board, user=request.user
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = _preview_html(request)
        if preview is None:
            try:
                with transaction.atomic():
                    thread = services.create_thread(
                        board=board,
                        author=request.user,
                        subject=form.cleaned_data["subject"],
                        body=_body(form),
                        thread_type=form.cleaned_data.get("type"),
                        ip=_ip(request),
                        limits=_limits(request, moderator),
                        token=form.cleaned_data["token"],
                        read_level=form.cleaned_data.get("read_level") or 0,
                    )
                    form.save_related(thread.post_set.get(floor=1))
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                if censor_pending.is_pending(thread):  # held for review
                    return censor_pending.pending_notice(request, thread)
                return HttpResponseRedirect(thread.get_absolute_url())
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


def _new_floor(request: HttpRequest, thread: Thread, post: Post) -> HttpResponse:
    """htmx answer to a quick reply: the new floor's HTML (appended to the floors), a new
    form token and an empty preview, swapped out of band. When the floor is not on the
    page the member is looking at, the browser is sent to its permalink instead."""
    per_page = settings.LUNTAN_POSTS_PER_PAGE
    shown_page = parse_id(request.POST.get("page"))
    if shown_page != queries.page_of_floor(post.floor, per_page):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = post.get_absolute_url()
        return response
    site = get_site_settings()
    rights = posting_rights(request.user, thread, window_seconds=site.edit_window_seconds)
    # The same read model and template as the thread page, for this one floor.
    floors = (
        ThreadPage(thread, user=request.user, rights=rights, region_level=site.ip_location_level)
        .load_post(post.pk)
        .render()
    )
    replies = Thread.objects.filter(pk=thread.pk).values_list("replies", flat=True).first()
    fresh_form = ReplyForm(user=request.user)
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
def reply(request: HttpRequest, pk: str) -> HttpResponse:
    """回复 thread ``pk``. GET: the full reply page (``?quote=<post id>`` shows the quoted
    post and quotes it; ``?to=<post id>`` starts the text with ``@author``). POST: from
    that page or the quick reply box; 302 to the new floor's permalink, or with htmx the
    new floor's HTML. Errors: the form again (htmx: the quick reply box, swapped in)."""
    thread = _load_thread(pk)
    permissions.check_view_thread(request.user, thread)
    htmx = _is_htmx(request)
    moderator = permissions.is_moderator(request.user, thread.board)
    try:
        permissions.check_reply(request.user, thread, moderator=moderator)
    except PermissionDenied as exc:
        if htmx and request.user.is_authenticated and request.method == "POST":
            form = ReplyForm(request.POST, user=request.user)
            return _quick_reply_again(request, thread, form, error=str(exc))
        return _login_or_forbidden(request, exc)

    if request.method == "GET":
        quote = _quoted(thread, request.GET.get("quote"))
        initial = {"quote": quote.pk} if quote else {}
        to = _quoted(thread, request.GET.get("to"))
        if to is not None and not to.is_anonymous and to.author_name:
            initial["body"] = f"@{to.author_name} "
        form = ReplyForm(initial=initial, user=request.user)
        return _reply_page(request, thread, form, quote=quote)

    form = ReplyForm(request.POST, request.FILES, user=request.user)
    quote = _quoted(thread, request.POST.get("quote"))
    if not form.is_valid():
        if htmx:
            return _quick_reply_again(request, thread, form)
        return _reply_page(request, thread, form, quote=quote, preview=_preview_html(request))
    preview = _preview_html(request)
    if preview is not None:
        return _reply_page(request, thread, form, quote=quote, preview=preview)
    try:
        with transaction.atomic():
            post = services.reply(
                thread=thread,
                author=request.user,
                body=_body(form),
                quote=quote,
                ip=_ip(request),
                limits=_limits(request, moderator),
                token=form.cleaned_data["token"],
                allow_closed=moderator,
            )
            form.save_related(post)
    except ValidationError as exc:
        form.add_service_error(exc)
        if htmx:
            return _quick_reply_again(request, thread, form)
        return _reply_page(request, thread, form, quote=quote)
    if censor_pending.is_pending(post):  # held for review
        return censor_pending.pending_notice(request, post)
    if htmx:
        return _new_floor(request, thread, post)
    return HttpResponseRedirect(post.get_absolute_url())


# --- edit ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: str) -> HttpResponse:
    """编辑 post ``pk``: body and format (the OP also subject and type), an edit reason,
    preview. The author may within the site's edit window, moderators always. On success
    302 to the post's permalink."""
    post = _load_post(pk)
    thread = post.thread
    permissions.check_view_thread(request.user, thread)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    site = get_site_settings()
    moderator = permissions.is_moderator(request.user, thread.board)
    try:
        permissions.check_edit_post(
            request.user, post, window_seconds=site.edit_window_seconds, moderator=moderator
        )
    except PermissionDenied as exc:
        return _login_or_forbidden(request, exc)
    is_op = post.floor == 1
    initial = {"body": post.source, "format": post.format}
    if is_op:
        initial.update(subject=thread.subject, type=thread.type_id, read_level=thread.read_level)
    form = EditForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        board=thread.board,
        is_op=is_op,
        user=request.user,
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
            with transaction.atomic():
                saved = services.edit_post(
                    post=post,
                    editor=request.user,
                    body=_body(form),
                    reason=form.cleaned_data.get("reason", ""),
                    limits=_limits(request, moderator),
                    **extra,
                )
                form.save_related(saved)
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
def delete(request: HttpRequest, pk: str) -> HttpResponse:
    """删除 post ``pk``: GET asks for confirmation, POST deletes (soft). Deleting the OP
    sends the thread to the recycle bin and redirects to the board; otherwise back to the
    floor, which now reads 该帖已被删除."""
    post = _load_post(pk)
    thread = post.thread
    permissions.check_view_thread(request.user, thread)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        permissions.check_delete_post(request.user, post)
    except PermissionDenied as exc:
        return _login_or_forbidden(request, exc)
    error = None
    if request.method == "POST":
        try:
            if post.author_id != request.user.pk:  # a moderator's delete is audit-logged
                moderation_services.delete_post(post, actor=request.user, ip=_ip(request))
            else:
                services.delete_post(post=post, actor=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            if post.floor == 1:
                return HttpResponseRedirect(thread.board.get_absolute_url())
            return HttpResponseRedirect(post.get_absolute_url())
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


def revisions(request: HttpRequest, pk: str) -> HttpResponse:
    """编辑记录 of post ``pk``, newest first, each version rendered (sanitised) with who
    replaced it, when and why. Moderators of the board only (Discuz! has no history;
    this follows Discourse's revision view)."""
    post = _load_post(pk)
    thread = post.thread
    permissions.check_view_thread(request.user, thread)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.is_moderator(request.user, thread.board):
        return forbidden(request, _("只有版主可以查看编辑记录。"))
    rows = list(PostRevision.objects.filter(post=post).order_by("-created", "-pk"))
    for rev in rows:
        rev.rendered = markup.render(rev.source, rev.format)
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
    for the editor's 预览 button with htmx. Members only (403 for guests)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    fmt = request.POST.get("format", Post.Format.BBCODE)
    if fmt not in Post.Format.values:
        fmt = Post.Format.BBCODE
    html = markup.render(request.POST.get("body", ""), fmt)
    return render(request, "threads/_preview.html", {"preview": html})
