"""Moderation pages under ``/mod/``: the thread and post tools (POST, CSRF), the forms
for move / merge / type, the recycle bin (回收站), the review queue (审核), reports (举报)
and the audit log (管理日志).

Every view loads its object, checks permissions through :mod:`luntan.permissions`
(``check_moderate_*``: board moderators in their boards, super moderators and
administrators everywhere), calls one service of :mod:`luntan.moderation.services` and
redirects back with a message. Guests go to the login page; a member without the right
gets a 403 page with the reason; a thread they can't see is a 404; bad input
(``ValidationError`` from a service, a malformed id or level) gives a 400 page with the
message — never a server error.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from luntan import permissions
from luntan.boards.models import Board, ThreadType
from luntan.boards.queries import breadcrumbs
from luntan.core.parsing import parse_id, parse_page
from luntan.moderation import maintenance, services
from luntan.moderation.describe import describe_entries
from luntan.moderation.models import AuditLog, ContentReport, MergedThread, Report
from luntan.permissions.viewer import ViewerRequest
from luntan.threads.hidden_content import viewer_html
from luntan.threads.models import Post, Thread

# Lazy: the names are translated per request (an eager gettext here froze them in the
# language active at import, so English visitors read "Done: 关闭").
_THREAD_ACTIONS = {
    "close": gettext_lazy("关闭"),
    "open": gettext_lazy("打开"),
    "stick": gettext_lazy("置顶"),
    "digest": gettext_lazy("精华"),
    "highlight": gettext_lazy("高亮"),
    "recycle": gettext_lazy("删除主题"),
    "restore": gettext_lazy("还原主题"),
}
_POST_ACTIONS = ("delete", "restore", "ban", "unban", "warn", "approve", "reject")


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def message_page(request: HttpRequest, text: str, status: int, back: str = "") -> HttpResponse:
    """The 提示信息 page with ``text`` and a link back."""
    return render(
        request, "moderation/message.html", {"text": text, "back": back or "/"}, status=status
    )


def _refused(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return message_page(request, str(exc) or _("您没有权限进行此操作。"), 403)


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _load_thread(request: ViewerRequest, pk: str) -> Thread:
    """Thread ``pk`` in any state with its boards; 404 unless the viewer sees the board;
    ``PermissionDenied`` unless they moderate it."""
    try:
        thread = Thread.objects.select_related("board__parent__parent", "type").get(pk=int(pk))
    except Thread.DoesNotExist:
        raise Http404 from None
    if not request.user.is_authenticated:
        raise PermissionDenied
    permissions.check_view_board(request.viewer, thread.board)
    permissions.check_moderate_thread(request.viewer, thread)
    return thread


def _load_post(request: ViewerRequest, pk: str) -> Post:
    try:
        post = Post.objects.select_related("thread__board__parent__parent").get(pk=int(pk))
    except Post.DoesNotExist:
        raise Http404 from None
    if not request.user.is_authenticated:
        raise PermissionDenied
    permissions.check_view_board(request.viewer, post.thread.board)
    permissions.check_moderate_post(request.viewer, post)
    return post


#: The moderation right (:mod:`luntan.permissions.modrights`, Discuz! common_admingroup)
#: each thread or post action needs.
_ACTION_RIGHTS = {
    "close": "close_thread",
    "open": "close_thread",
    "stick": "stick_thread",
    "digest": "digest_thread",
    "highlight": "highlight_thread",
    "recycle": "delete_post",
    "restore": "delete_post",
    "delete": "delete_post",
    "ban": "ban_post",
    "unban": "ban_post",
    "warn": "warn_post",
    "approve": "review_posts",
    "reject": "review_posts",
    "split": "split_thread",
    "move": "move_thread",
    "type": "type_thread",
    "merge": "merge_thread",
}


def _no_right(right: str) -> str:
    return _("抱歉，您所在的管理组没有%(right)s的权限。") % {
        "right": permissions.MODERATION_RIGHTS[right]
    }


def _common(request: HttpRequest) -> dict:
    return {"actor": request.user, "reason": request.POST.get("reason", ""), "ip": _ip(request)}


@require_POST
def thread_action(request: ViewerRequest, pk: str, action: str) -> HttpResponse:
    """POST ``/mod/t/<id>/<action>/``: ``close``, ``open``, ``stick`` (``level`` or
    ``sticky`` 0–3), ``digest`` (``level`` or ``digest`` 0–3), ``highlight`` (``color`` from
    the palette or empty, ``bold`` 1 for 加粗; neither clears), ``recycle``, ``restore``. Optional ``reason`` and ``next``.
    The thread page's 主题管理 bar is one form whose buttons post to these URLs."""
    if action not in _THREAD_ACTIONS:
        raise Http404
    try:
        thread = _load_thread(request, pk)
        permissions.check_moderation_right(request.viewer, _ACTION_RIGHTS[action])
    except PermissionDenied as exc:
        return _refused(request, exc)
    back = _next(request, thread.get_absolute_url())
    kw = _common(request)
    try:
        if action in ("close", "open"):
            services.close_thread(thread, closed=action == "close", **kw)
        elif action == "stick":
            level = request.POST.get("level", request.POST.get("sticky"))
            services.stick_thread(thread, level=level, **kw)
        elif action == "digest":
            level = request.POST.get("level", request.POST.get("digest"))
            services.digest_thread(thread, level=level, **kw)
        elif action == "highlight":
            bold = request.POST.get("bold", "") in ("1", "on", "true")
            services.highlight_thread(thread, color=request.POST.get("color", ""), bold=bold, **kw)
        elif action == "recycle":
            services.recycle_thread(thread, **kw)
            back = _next(request, thread.board.get_absolute_url())
        else:
            services.restore_thread(thread, **kw)
    except ValidationError as exc:
        return message_page(request, exc.messages[0], 400, back)
    messages.success(request, _("操作成功：%(action)s") % {"action": _THREAD_ACTIONS[action]})
    return HttpResponseRedirect(back)


def _form_page(request, template: str, thread: Thread, error: str = "", **extra) -> HttpResponse:
    context = {
        "thread": thread,
        "board": thread.board,
        "crumbs": breadcrumbs(thread.board),
        "error": error,
        **extra,
    }
    return render(request, template, context, status=400 if error else 200)


def _move_targets(user) -> list[Board]:
    boards = list(Board.objects.select_related("parent__parent").order_by("display_order", "id"))
    return permissions.move_target_boards(user, boards)


def move(request: ViewerRequest, pk: str) -> HttpResponse:
    """``/mod/t/<id>/move/``: GET the form (boards to choose, 保留跳转); POST ``board``
    (id) and ``stub`` moves the thread."""
    try:
        thread = _load_thread(request, pk)
        permissions.check_moderation_right(request.viewer, _ACTION_RIGHTS["move"])
    except PermissionDenied as exc:
        return _refused(request, exc)
    targets = _move_targets(request.viewer)
    if request.method != "POST":
        return _form_page(request, "moderation/move.html", thread, targets=targets)
    board_id = parse_id(request.POST.get("board"))
    to_board = next((b for b in targets if b.pk == board_id), None)
    if to_board is None:
        return _form_page(
            request, "moderation/move.html", thread, _("请选择目标版块。"), targets=targets
        )
    try:
        permissions.check_move_thread(request.viewer, thread, to_board)
        services.move_thread(
            thread, to_board=to_board, leave_stub=bool(request.POST.get("stub")), **_common(request)
        )
    except PermissionDenied as exc:
        return _refused(request, exc)
    except ValidationError as exc:
        return _form_page(request, "moderation/move.html", thread, exc.messages[0], targets=targets)
    messages.success(request, _("主题已移动到 %(board)s") % {"board": to_board.name})
    return HttpResponseRedirect(thread.get_absolute_url())


def set_type(request: ViewerRequest, pk: str) -> HttpResponse:
    """``/mod/t/<id>/type/``: GET the board's thread types; POST ``type`` (id, empty clears)."""
    try:
        thread = _load_thread(request, pk)
        permissions.check_moderation_right(request.viewer, _ACTION_RIGHTS["type"])
    except PermissionDenied as exc:
        return _refused(request, exc)
    types = list(ThreadType.objects.filter(board=thread.board_id))
    if request.method != "POST":
        return _form_page(request, "moderation/type.html", thread, types=types)
    raw = request.POST.get("type", "")
    type_id = parse_id(raw)
    chosen = next((t for t in types if t.pk == type_id), None)
    if raw and chosen is None:
        return _form_page(
            request, "moderation/type.html", thread, _("请选择主题分类。"), types=types
        )
    try:
        services.change_thread_type(thread, thread_type=chosen, **_common(request))
    except ValidationError as exc:
        return _form_page(request, "moderation/type.html", thread, exc.messages[0], types=types)
    messages.success(request, _("主题分类已修改"))
    return HttpResponseRedirect(thread.get_absolute_url())


def merge(request: ViewerRequest, pk: str) -> HttpResponse:
    """``/mod/t/<id>/merge/``: GET the form; POST ``other`` (a thread id or its URL): that
    thread is merged into this one. The moderator must moderate both."""
    try:
        thread = _load_thread(request, pk)
        permissions.check_moderation_right(request.viewer, _ACTION_RIGHTS["merge"])
    except PermissionDenied as exc:
        return _refused(request, exc)
    if request.method != "POST":
        return _form_page(request, "moderation/merge.html", thread)
    raw = (request.POST.get("other") or "").strip().rstrip("/").rsplit("/", 1)[-1]
    other_id = parse_id(raw)
    other = None
    if other_id is not None:
        other = Thread.objects.select_related("board__parent__parent").filter(pk=other_id).first()
    if other is None or not permissions.can_view_board(request.viewer, other.board):
        return _form_page(request, "moderation/merge.html", thread, _("找不到要合并的主题。"))
    try:
        permissions.check_moderate_thread(request.viewer, other)
        services.merge_threads(other, thread, **_common(request))
    except PermissionDenied as exc:
        return _refused(request, exc)
    except ValidationError as exc:
        return _form_page(request, "moderation/merge.html", thread, exc.messages[0])
    messages.success(request, _("主题已合并"))
    return HttpResponseRedirect(thread.get_absolute_url())


@require_POST
def posts_action(request: ViewerRequest, pk: str) -> HttpResponse:
    """POST ``/mod/t/<id>/posts/``: the floors ticked on the thread page (``post`` ids)
    and ``action``: ``split`` (with ``subject``) makes a new thread of them; ``delete``,
    ``ban``, ``unban``, ``warn`` apply to each."""
    try:
        thread = _load_thread(request, pk)
    except PermissionDenied as exc:
        return _refused(request, exc)
    back = thread.get_absolute_url()
    ids = [i for i in (parse_id(v) for v in request.POST.getlist("post")) if i]
    action = request.POST.get("action", "")
    if not ids:
        return message_page(request, _("请先选择帖子。"), 400, back)
    if action in _ACTION_RIGHTS:
        try:
            permissions.check_moderation_right(request.viewer, _ACTION_RIGHTS[action])
        except PermissionDenied as exc:
            return _refused(request, exc)
    kw = _common(request)
    try:
        if action == "split":
            new = services.split_thread(thread, ids, subject=request.POST.get("subject", ""), **kw)
            messages.success(request, _("已分割为新主题"))
            return HttpResponseRedirect(new.get_absolute_url())
        if action not in ("delete", "restore", "ban", "unban", "warn"):
            return message_page(request, _("未知的操作。"), 400, back)
        posts = list(Post.objects.filter(thread=thread, pk__in=ids).order_by("-floor"))
        if len(posts) != len(set(ids)):
            return message_page(request, _("所选帖子不属于该主题。"), 400, back)
        for post in posts:
            _apply_post_action(post, action, kw)
    except ValidationError as exc:
        return message_page(request, exc.messages[0], 400, back)
    messages.success(request, _("操作成功"))
    if action == "delete" and any(p.floor == 1 for p in posts):
        back = thread.board.get_absolute_url()
    return HttpResponseRedirect(back)


def _apply_post_action(post: Post, action: str, kw: dict) -> None:
    if action == "delete":
        services.delete_post(post, **kw)
    elif action == "restore":
        services.restore_post(post, **kw)
    elif action in ("ban", "unban"):
        services.ban_post(post, banned=action == "ban", **kw)
    elif action == "warn":
        services.warn_author(post, **kw)
    elif action == "approve":
        services.approve_post(post, **kw)
    elif action == "reject":
        services.reject_post(post, **kw)


@require_POST
def post_action(request: ViewerRequest, pk: str, action: str) -> HttpResponse:
    """POST ``/mod/p/<id>/<action>/``: ``delete``, ``restore``, ``ban``, ``unban``,
    ``warn``, ``approve``, ``reject`` one post, with ``reason`` and ``next``."""
    if action not in _POST_ACTIONS:
        raise Http404
    try:
        post = _load_post(request, pk)
        permissions.check_moderation_right(request.viewer, _ACTION_RIGHTS[action])
    except PermissionDenied as exc:
        return _refused(request, exc)
    back = _next(request, post.get_absolute_url())
    try:
        _apply_post_action(post, action, _common(request))
    except ValidationError as exc:
        return message_page(request, exc.messages[0], 400, back)
    messages.success(request, _("操作成功"))
    return HttpResponseRedirect(back)


def _require_moderator(request: ViewerRequest) -> set[int] | None | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    boards = permissions.moderated_board_ids(request.viewer)
    if boards is not None and not boards:
        return message_page(request, _("只有版主可以访问该页面。"), 403)
    return boards


def _in_boards(boards: set[int] | None, field: str) -> Q:
    return Q() if boards is None else Q(**{f"{field}__in": boards})


def _page(request: HttpRequest, queryset, per_page: int = 30):
    return Paginator(queryset, per_page).get_page(parse_page(request.GET.get("page")))


def recyclebin(request: ViewerRequest) -> HttpResponse:
    """``/mod/recyclebin/``: recycled threads of the boards the viewer moderates, newest
    first, each with 还原 (merged threads are left out: they are empty)."""
    boards = _require_moderator(request)
    if isinstance(boards, HttpResponse):
        return boards
    threads = (
        Thread.objects.filter(_in_boards(boards, "board_id"), state=Thread.State.RECYCLED)
        .exclude(pk__in=MergedThread.objects.values("source_id"))
        .select_related("board")
        .order_by("-last_post_at", "-pk")
    )
    return render(request, "moderation/recyclebin.html", {"page": _page(request, threads)})


def queue(request: ViewerRequest) -> HttpResponse:
    """``/mod/queue/``: posts awaiting review (新主题 and 回复) in the viewer's boards,
    oldest first, with 通过 / 拒绝 (and a reason)."""
    boards = _require_moderator(request)
    if isinstance(boards, HttpResponse):
        return boards
    if not permissions.has_moderation_right(request.viewer, "review_posts"):
        return _refused(request, PermissionDenied(_no_right("review_posts")))
    posts = (
        Post.objects.filter(_in_boards(boards, "thread__board_id"), state=Post.State.PENDING)
        .select_related("thread__board")
        .order_by("created", "pk")
    )
    return render(request, "moderation/queue.html", {"page": _page(request, posts)})


def reports(request: ViewerRequest) -> HttpResponse:
    """``/mod/reports/``: open reports on posts of the viewer's boards, oldest first;
    ``?all=1`` shows handled ones too."""
    boards = _require_moderator(request)
    if isinstance(boards, HttpResponse):
        return boards
    if not permissions.has_moderation_right(request.viewer, "view_reports"):
        return _refused(request, PermissionDenied(_no_right("view_reports")))
    rows = Report.objects.filter(_in_boards(boards, "post__thread__board_id"))
    show_all = request.GET.get("all") == "1"
    if not show_all:
        rows = rows.filter(resolved_at=None)
    rows = rows.select_related("post__thread__board", "reporter", "resolved_by").order_by(
        "resolved_at", "created"
    )
    # Reports of content outside the boards (短消息): administrators and super moderators.
    content = ContentReport.objects.none()
    if boards is None:
        content = ContentReport.objects.select_related("reporter", "resolved_by")
        if not show_all:
            content = content.filter(resolved_at=None)
        content = content.order_by("resolved_at", "created")[:CONTENT_REPORTS_SHOWN]
    return render(
        request,
        "moderation/reports.html",
        {"page": _page(request, rows), "show_all": show_all, "content_reports": content},
    )


#: Reports of private messages listed under the post reports (oldest open first).
CONTENT_REPORTS_SHOWN = 50


@require_POST
def resolve_content_report(request: ViewerRequest, pk: str) -> HttpResponse:
    """POST ``/mod/reports/content/<id>/resolve/`` with ``note``: mark a report of a
    private message handled (administrators and super moderators only)."""
    boards = _require_moderator(request)
    if isinstance(boards, HttpResponse):
        return boards
    if not permissions.has_moderation_right(request.viewer, "view_reports"):
        return _refused(request, PermissionDenied(_no_right("view_reports")))
    if boards is not None:
        raise Http404
    report = ContentReport.objects.filter(pk=int(pk)).first()
    if report is None:
        raise Http404
    services.resolve_content_report(report, actor=request.user, note=request.POST.get("note", ""))
    messages.success(request, _("举报已处理"))
    return HttpResponseRedirect(_next(request, reverse("mod:reports")))


@require_POST
def resolve_report(request: ViewerRequest, pk: str) -> HttpResponse:
    """POST ``/mod/reports/<id>/resolve/`` with ``note``: mark the report handled."""
    boards = _require_moderator(request)
    if isinstance(boards, HttpResponse):
        return boards
    if not permissions.has_moderation_right(request.viewer, "view_reports"):
        return _refused(request, PermissionDenied(_no_right("view_reports")))
    report = Report.objects.filter(_in_boards(boards, "post__thread__board_id"), pk=int(pk)).first()
    if report is None:
        raise Http404
    services.resolve_reports(
        [report], actor=request.user, note=request.POST.get("note", ""), ip=_ip(request)
    )
    messages.success(request, _("举报已处理"))
    return HttpResponseRedirect(_next(request, reverse("mod:reports")))


def report(request: ViewerRequest, pk: str) -> HttpResponse:
    """``/mod/p/<id>/report/``: a member reports a post (举报). GET the form; POST
    ``reason``. One report per member per post."""
    try:
        post = Post.objects.select_related("thread__board__parent__parent").get(pk=int(pk))
    except Post.DoesNotExist:
        raise Http404 from None
    try:
        permissions.check_report_post(request.viewer, post)
    except PermissionDenied as exc:
        return _refused(request, exc)
    error = ""
    if request.method == "POST":
        try:
            services.report_post(post, reporter=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("举报已提交，感谢您的帮助。"))
            return HttpResponseRedirect(post.get_absolute_url())
    return render(
        request,
        "moderation/report.html",
        {
            "post": post,
            "post_html": viewer_html(post, request.viewer),  # 密码帖: locked unless unlocked
            "thread": post.thread,
            "crumbs": breadcrumbs(post.thread.board),
            "error": error,
        },
        status=400 if error else 200,
    )


def log(request: ViewerRequest) -> HttpResponse:
    """``/mod/log/``: the audit log (管理日志), newest first. Administrators and super
    moderators see every entry; a board moderator the entries on threads of their boards.
    Each row's object and change are words with links (:mod:`luntan.moderation.describe`)."""
    boards = _require_moderator(request)
    if isinstance(boards, HttpResponse):
        return boards
    if not permissions.has_moderation_right(request.viewer, "view_log"):
        return _refused(request, PermissionDenied(_no_right("view_log")))
    rows = AuditLog.objects.order_by("-created", "-pk")
    if boards is not None:
        thread_ids = Thread.objects.filter(board_id__in=boards).values("pk")
        rows = rows.filter(thread_id__in=thread_ids)
    page = _page(request, rows, 50)
    describe_entries(page.object_list)
    return render(request, "moderation/log.html", {"page": page})


def thread_history(request: ViewerRequest, pk: str) -> HttpResponse:
    """``/mod/t/<id>/history/``: the thread's moderation history (主题操作记录), newest
    first, for anyone who may read the thread — Discuz!'s ``misc.php?action=viewthreadmod``
    behind the "本主题由 X 于 …" line. Shows who, when, what and the reason (never the IP)."""
    try:
        thread = Thread.objects.select_related("board__parent__parent").get(pk=int(pk))
    except Thread.DoesNotExist:
        raise Http404 from None
    permissions.check_view_thread(request.viewer, thread)
    rows = AuditLog.objects.filter(thread_id=thread.pk, target_type="thread").order_by(
        "-created", "-pk"
    )
    return render(
        request,
        "moderation/history.html",
        {
            "thread": thread,
            "crumbs": breadcrumbs(thread.board),
            "page": _page(request, rows, 50),
        },
    )


def repair_counters(request: ViewerRequest) -> HttpResponse:
    """``/mod/counters/`` (修复统计, administrators only): GET shows what a rebuild of
    the stored counters would change (the check, nothing written); POST (CSRF) rebuilds
    them through :func:`luntan.moderation.maintenance.repair_counters` and comes back
    here with how many values were fixed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        permissions.check_repair_counters(request.viewer)
    except PermissionDenied as exc:
        return _refused(request, exc)
    if request.method == "POST":
        fixed = maintenance.repair_counters(actor=request.user, ip=request.META.get("REMOTE_ADDR"))
        messages.success(request, _("统计已修复：%(n)d 项。") % {"n": len(fixed)})
        return HttpResponseRedirect(reverse("mod:counters"))
    drift = maintenance.check_counters()
    return render(
        request,
        "moderation/counters.html",
        {"drift": [(_DRIFT_LABELS[d.kind], d) for d in drift[:500]], "total": len(drift)},
    )


_DRIFT_LABELS = {
    "thread": _lazy("主题"),
    "board": _lazy("版块"),
    "member": _lazy("会员"),
    "site": _lazy("站点"),
}
