"""The poll on the OP floor (a floor extra, registered in
:meth:`luntan.polls.apps.PollsConfig.ready`).

The posts query carries ``has_poll`` (an EXISTS evaluated for floor 1 only), so a page
without a poll costs nothing; a page showing a poll's OP costs one query: the options
with the poll joined and, for a member, whether each one is theirs.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import BooleanField, Case, Exists, OuterRef, Value, When
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from luntan import permissions
from luntan.polls.models import Poll, PollChoice, PollOption
from luntan.threads.extras import FloorExtra
from luntan.threads.page import Floor, ThreadPage


def poll_context(page_thread, options, *, viewer, moderator: bool, now, csrf_token: str) -> dict:
    """The template context of ``polls/_poll.html`` for ``options`` (with ``poll``
    joined and ``mine`` annotated): whether the viewer voted, may vote, sees the counts
    and the voter list, and each option's share in percent (of the voters)."""
    poll = options[0].poll
    voted = any(getattr(o, "mine", False) for o in options)
    ended = permissions.poll_ended(poll, now)
    show_results = permissions.can_see_poll_results(
        viewer, page_thread, poll, voted=voted, moderator=moderator, now=now
    )
    may_vote = (
        viewer.is_authenticated
        and (not voted or poll.allow_change)
        and permissions.can_vote(viewer, page_thread, poll, now=now)
    )
    total = max(poll.voters, 1)
    rows = [
        {
            "option": o,
            "mine": getattr(o, "mine", False),
            "percent": round(100 * o.votes / total, 1),
            "width": min(100, round(100 * o.votes / total)),
        }
        for o in options
    ]
    return {
        "poll": poll,
        "rows": rows,
        "voted": voted,
        "ended": ended,
        "show_results": show_results,
        "may_vote": may_vote and bool(csrf_token),
        "show_voters": permissions.can_see_poll_voters(
            viewer, page_thread, poll, moderator=moderator
        ),
        "thread": page_thread,
        "csrf_token": csrf_token,
        "guest": not viewer.is_authenticated,
    }


class PollExtra(FloorExtra):
    """The poll box under the OP's body (not when the body is hidden: 屏蔽)."""

    name = "polls"
    order = 20

    def annotations(self) -> dict:
        """``has_poll`` on floor 1 (False elsewhere, without a subquery)."""
        return {
            "has_poll": Case(
                When(floor=1, then=Exists(Poll.objects.filter(thread=OuterRef("thread_id")))),
                default=Value(False),
                output_field=BooleanField(),
            )
        }

    def decorate(self, page: ThreadPage, floors: Sequence[Floor]) -> None:
        """Render the poll into the OP floor's ``below`` slot (one query)."""
        op = next(
            (
                f
                for f in floors
                if getattr(f.post, "has_poll", False) and not f.deleted and not f.body_hidden
            ),
            None,
        )
        if op is None:
            return
        user = page.user
        query = PollOption.objects.filter(poll_id=page.thread.pk).select_related("poll")
        if user.is_authenticated:
            query = query.annotate(
                mine=Exists(
                    PollChoice.objects.filter(option=OuterRef("pk"), voter__user_id=user.pk)
                )
            )
        options = list(query.order_by("position", "pk"))
        if not options:
            return
        request = page.request
        viewer = getattr(request, "viewer", None) or permissions.as_viewer(user)
        context = poll_context(
            page.thread,
            options,
            viewer=viewer,
            moderator=page.moderator,
            now=page.now,
            csrf_token=get_token(request) if request is not None else "",
        )
        html = render_to_string("polls/_poll.html", context)
        op.below.insert(0, mark_safe(html))  # noqa: S308 - our own template's output
