"""Posts as the mobile client shows them (mobile_api.md §2.5): the HTML of the thread
page (already sanitised when it was rendered, with the floor extras' changes: 屏蔽,
[hide], [password]) rewritten to the classes of Discuz!'s mobile ``discuzcode.htm`` —
quotes as ``div.reply_wrap``, code as ``div.blockcode`` with one ``<li>`` a line — and
every relative ``src``/``href`` made absolute. The rewriting only renames elements and
wraps escaped text, so the result is as safe as its input."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from django.http import HttpRequest
from django.utils.translation import gettext as _

from luntan import permissions
from luntan.api.mobile import ids
from luntan.api.mobile.common import human_time, ts
from luntan.attachments.conf import format_size
from luntan.attachments.filenames import extension_of
from luntan.attachments.rendering import render_list

_QUOTE_OPEN = re.compile(r"<blockquote\b[^>]*>")
_CODE = re.compile(r"<pre\b[^>]*>(?:<code\b[^>]*>)?(.*?)(?:</code>)?</pre>", re.S)
_RELATIVE = re.compile(r'(\s(?:src|href)=")/(?!/)')


def _code_block(match: re.Match) -> str:
    lines = match.group(1).split("\n")
    items = "".join(f"<li>{line}</li>" for line in lines)
    return f'<div class="blockcode"><span></span><ol>{items}</ol></div>'


def mobile_html(html: str, base_url: str) -> str:
    """``html`` (sanitised post HTML) with Discuz! mobile classes and absolute URLs;
    ``base_url`` is the site root without the trailing slash."""
    out = _QUOTE_OPEN.sub('<div class="reply_wrap">', html).replace("</blockquote>", "</div>")
    out = _CODE.sub(_code_block, out)
    return _RELATIVE.sub(lambda m: f"{m.group(1)}{base_url}/", out)


def attachment_item(a: Any, post: Any, tid: int, pid: int, uids: dict[int, int], root: str) -> dict:
    """One entry of a post's ``attachments`` (mobile_api.md §2.5) from an
    :class:`luntan.attachments.models.Attachment` the thread page lists under the post:
    ``url`` + ``attachment`` is the attachment's download address (the page's link, with
    its permission checks), ``thumb`` the thumbnail's; sizes in bytes and as text."""
    link = a.get_absolute_url()
    return {
        "aid": a.ref,
        "tid": tid,
        "pid": pid,
        "uid": uids.get(a.uploader_id, 0) if a.uploader_id and not post.is_anonymous else 0,
        "dateline": human_time(a.created),
        "dbdateline": ts(a.created),
        "filename": a.filename,
        "filesize": a.size,
        "attachsize": format_size(a.size),
        "attachment": link.lstrip("/"),
        "url": f"{root}/",
        "ext": extension_of(a.filename),
        "isimage": 1 if a.is_image else 0,
        "thumb": urljoin(f"{root}/", a.thumbnail_url) if a.is_image else "",
        "remote": 0,
        "readperm": 0,
        "price": 0,
        "payed": 0,
        "downloads": a.downloads,
        "aidencode": a.ref,
        "description": "",
        "width": a.width,
    }


def post_item(
    request: HttpRequest, thread: Any, floor: Any, uids: dict[int, int], base: int
) -> dict:
    """One ``postlist[]`` item from a built, decorated
    :class:`luntan.threads.page.Floor`: pid, tid, first, author, authorid, dbdateline,
    dateline, message (mobile HTML; a replacement sentence when the floor is deleted or
    its body is hidden from the viewer), number, position, status (bit 1: 屏蔽)."""
    p = floor.post
    root = request.build_absolute_uri("/").rstrip("/")
    if floor.deleted:
        message = _("该帖已被删除")
    elif floor.body_hidden:
        message = "".join(str(n) for n in floor.notices) or _("该帖被管理员或版主屏蔽")
    else:
        box = render_list(floor.files)  # sent as ``attachments``, not in the message
        below = "".join(str(b) for b in floor.below if not (box and str(b) == box))
        message = mobile_html(str(floor.html) + below, root)
    files = floor.files if floor.visible else []
    anonymous = floor.anonymous
    authorid = 0 if anonymous or not p.author_id else uids.get(p.author_id, 0)
    group = floor.group
    pid = ids.encode_pk("post", p.pk, getattr(p, "discuz_pid", None), base)
    tid = ids.encode_pk("thread", thread.pk, thread.discuz_tid, base)
    return {
        "pid": pid,
        "tid": tid,
        "first": 1 if floor.is_op else 0,
        "author": _("匿名") if anonymous else p.author_name,
        "authorid": authorid,
        "username": "" if anonymous else p.author_name,
        "dateline": human_time(p.created),
        "dbdateline": ts(p.created),
        "message": message,
        "number": floor.number,
        "position": floor.number,
        "status": 1 if (floor.body_hidden and not floor.deleted) else 0,
        "groupid": group.pk if group is not None else 0,
        "adminid": 0,
        "memberstatus": 0,
        "anonymous": 1 if anonymous else 0,
        "attachment": (2 if any(a.is_image for a in files) else 1) if files else 0,
        "attachments": {str(a.ref): attachment_item(a, p, tid, pid, uids, root) for a in files},
        "attachlist": [str(a.ref) for a in files],
        "imagelist": [str(a.ref) for a in files if a.is_image],
        "replycredit": 0,
        "groupiconid": "",
    }


def poll_fields(viewer: Any, thread: Any) -> dict | None:
    """``special_poll`` of a poll thread (options keyed "1", "2", … as PHP emits them),
    or ``None`` when the thread has no poll. Counts only when the viewer may see them
    (:func:`luntan.permissions.can_see_poll_results`). Two queries for a poll thread, one
    otherwise."""
    from luntan.polls.models import Poll, PollVoter

    poll = Poll.objects.filter(thread_id=thread.pk).first()
    if poll is None:
        return None
    options = list(poll.options.order_by("position", "id"))
    voted = (
        viewer.is_authenticated and PollVoter.objects.filter(poll=poll, user_id=viewer.pk).exists()
    )
    results = permissions.can_see_poll_results(viewer, thread, poll, voted=voted)
    total = sum(o.votes for o in options) or 1
    polloptions = {}
    for n, o in enumerate(options, start=1):
        percent = round(o.votes * 100 / total, 2) if results else 0
        polloptions[str(n)] = {
            "polloptionid": o.pk,
            "polloption": o.text,
            "votes": o.votes if results else 0,
            "width": f"{percent}%",
            "percent": percent,
            "color": "",
            "imginfo": [],
        }
    remain = 0
    if poll.expires_at is not None:
        from django.utils import timezone

        remain = max(0, int((poll.expires_at - timezone.now()).total_seconds()))
    return {
        "polloptions": polloptions,
        "expirations": ts(poll.expires_at) if poll.expires_at else 0,
        "multiple": 1 if poll.max_choices > 1 else 0,
        "maxchoices": poll.max_choices,
        "voterscount": poll.voters,
        "visiblepoll": 0 if results else 1,
        "allowvote": 1 if permissions.can_vote(viewer, thread, poll) else 0,
        "remaintime": remain,
    }
