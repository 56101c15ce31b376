"""提醒 pages: the member's notices grouped by thread (``/notifications/``) and 标为已读
(``/notifications/read/``, POST)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luntan.notifications import services
from luntan.notifications.models import Notification
from luntan.permissions import can_view_thread
from luntan.permissions.viewer import ViewerRequest

PER_PAGE = 50


@dataclass
class ThreadGroup:
    """The notices of one page about one thread (``thread`` ``None``: the private
    message notices), newest first; ``unread`` counts the
    unread ones; ``visible`` is False when the member may no longer read the thread
    (deleted, moved out of reach: the page then shows neither subject nor links)."""

    thread: object
    visible: bool = True
    notices: list = field(default_factory=list)
    unread: int = 0


def _group(viewer, rows) -> list[ThreadGroup]:
    groups: dict[int, ThreadGroup] = {}
    for row in rows:
        if row.thread_id is None:  # 短消息 notices: one group, no thread
            groups.setdefault(0, ThreadGroup(None))
            group = groups[0]
            group.notices.append(row)
            group.unread += row.read_at is None
            continue
        if row.thread_id not in groups:
            groups[row.thread_id] = ThreadGroup(
                row.thread, visible=can_view_thread(viewer, row.thread)
            )
        group = groups[row.thread_id]
        group.notices.append(row)
        group.unread += row.read_at is None
    return list(groups.values())


@require_GET
@login_required
def notices(request: ViewerRequest) -> HttpResponse:
    """The member's notices, newest first, :data:`PER_PAGE` a page (``?page=N``; a bad
    number gives the nearest page), grouped by thread in the order of each thread's
    newest notice on the page. Guests go to the log-in page. Three queries besides the
    member: count, the page's notices with their threads and boards, and the bell's
    count (cached). Threads the member can no longer read are listed without subject."""
    rows = (
        Notification.objects.filter(recipient_id=request.user.pk)
        .select_related("thread__board__parent__parent")
        .order_by("-created", "-pk")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "groups": _group(request.viewer, page.object_list)},
    )


@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    """标为已读 (CSRF-checked): POST ``thread`` (a thread id) marks that thread's notices,
    ``kind=pm`` the private message notices, neither marks all; then 302 back to the list with a message. A malformed
    ``thread`` is 400."""
    raw = request.POST.get("thread", "")
    thread_id = None
    if raw:
        if not raw.isdigit() or len(raw) > 18:
            return render(
                request, "threads/forbidden.html", {"reason": _("参数错误。")}, status=400
            )
        thread_id = int(raw)
    kind = Notification.Kind.PM if request.POST.get("kind") == "pm" and thread_id is None else None
    services.mark_read(request.user, thread_id=thread_id, kind=kind)  # type: ignore[arg-type]
    messages.success(request, _("已标为已读。"))
    return HttpResponseRedirect(reverse("notifications:list"))
