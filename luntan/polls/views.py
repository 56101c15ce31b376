"""Poll pages: voting (``POST /t/<id>/poll/vote/``) and the voter list
(``/t/<id>/poll/voters/``). The poll itself is drawn on the thread page by
:mod:`luntan.polls.floors`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luntan import permissions
from luntan.permissions.viewer import ViewerRequest
from luntan.polls import services
from luntan.polls.models import Poll, PollOption, PollVoter
from luntan.threads.queries import get_visible_thread

VOTERS_PER_PAGE = 50


def _thread_and_poll(pk: str):
    thread = get_visible_thread(int(pk))
    try:
        poll = Poll.objects.get(pk=thread.pk)
    except Poll.DoesNotExist:
        raise Http404 from None
    return thread, poll


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "threads/forbidden.html", {"reason": message}, status=status)


@require_POST
def vote(request: ViewerRequest, pk: str) -> HttpResponse:
    """Vote (CSRF-checked POST of one or more ``option`` ids) through
    :func:`luntan.polls.services.vote`, then 302 to the poll on the thread page with
    投票成功. Guests go to the log-in page; a thread the viewer can't read is 404; a
    viewer who may not vote (group, closed thread, ended poll) gets a 403 page with the
    reason; no option, a foreign option, too many options or a second vote a 400 page
    with the reason and nothing is written."""
    thread, poll = _thread_and_poll(pk)
    try:
        permissions.check_vote(request.viewer, thread, poll)
    except PermissionDenied as exc:
        if not request.user.is_authenticated:
            return redirect_to_login(thread.get_absolute_url())
        return _refused(request, str(exc) or _("您没有权限进行此操作。"), 403)
    try:
        result = services.vote(poll.pk, request.user, request.POST.getlist("option"))
    except ValidationError as exc:
        return _refused(request, exc.messages[0], 400)
    messages.success(request, _("投票已修改。") if result.changed else _("投票成功。"))
    return HttpResponseRedirect(thread.get_absolute_url() + "#poll")


@require_GET
def voters(request: ViewerRequest, pk: str) -> HttpResponse:
    """投票参与人: who voted for what, newest first, 50 a page; for public polls (Discuz!
    overt) to anyone who may read the thread, else to the board's moderators (403)."""
    thread, poll = _thread_and_poll(pk)
    permissions.check_view_thread(request.viewer, thread)
    if not permissions.can_see_poll_voters(request.viewer, thread, poll):
        return _refused(request, _("该投票的参与人不公开。"), 403)
    options = {o.pk: o.text for o in PollOption.objects.filter(poll=poll)}
    rows = (
        PollVoter.objects.filter(poll=poll)
        .select_related("user")
        .prefetch_related("choices")
        .order_by("-created", "-pk")
    )
    page = Paginator(rows, VOTERS_PER_PAGE).get_page(request.GET.get("page"))
    voters_list = [
        {
            "name": v.user.username,
            "user_id": v.user_id,
            "created": v.created,
            "choices": [options.get(c.option_id, "") for c in v.choices.all()],
        }
        for v in page.object_list
    ]
    return render(
        request,
        "polls/voters.html",
        {"thread": thread, "board": thread.board, "poll": poll, "page": page, "rows": voters_list},
    )
