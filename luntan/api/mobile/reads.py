"""The read modules of the mobile API: ``check``, ``forumindex``, ``forumdisplay``,
``viewthread``, ``newthreads``, ``hotthread``, ``profile``, ``smiley``, ``checkpost``,
``mynotelist``, ``myfavthread``, ``myfavforum``, ``mypm``, ``publicpm``.

Each takes the request and the merged parameters and returns the module's ``Variables``
(or raises :class:`~luntan.api.mobile.common.MobileError`); ``DEFAULTS`` holds the
complete, defaulted fields a module answers with beside an error ``Message`` (X3.4
emits half-empty ones there, which breaks the client: mobile_api.md §1.5). Field names,
and which keys are ★ (required by the DiscuzHub client), follow mobile_api.md §2.
Everything goes through the pages' read models and permission functions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan import permissions
from luntan.accounts.models import User
from luntan.accounts.signatures import shown_signature
from luntan.api.mobile import envelope, html, ids, pm_bridge
from luntan.api.mobile.common import (
    MobileError,
    human_time,
    int_param,
    need_member,
    page_param,
    refusal,
    thread_row,
    ts,
    uid_map,
)
from luntan.boardpages import queries as index_queries
from luntan.boards import counters
from luntan.boards.models import Board
from luntan.core.models import Smiley, get_site_settings
from luntan.credits.display import extcredit_names
from luntan.credits.models import MemberCredits
from luntan.permissions.posting import posting_rights
from luntan.pms import services as pm_services
from luntan.threads import queries, view_counts
from luntan.threads.models import Thread
from luntan.threads.page import ThreadPage

Vars = dict[str, Any]


def _group(request: HttpRequest) -> Vars:
    viewer = request.viewer  # type: ignore[attr-defined]
    rights = viewer.rights
    member = request.user.is_authenticated
    return {
        "groupid": viewer.group_id if member else envelope.GUEST_GROUP,
        "grouptitle": rights.name,
        "readaccess": rights.read_access,
        "allowvisit": rights.allow_visit,
        "allowpost": rights.allow_post,
        "allowreply": rights.allow_reply,
        "allowgetattach": rights.allow_download,
        "allowpostattach": rights.allow_upload,
        "allowpostimage": rights.allow_post_image,
        "allowpostpoll": rights.allow_post_poll,
        "allowvote": rights.allow_vote,
    }


# --- check ---------------------------------------------------------------------------------


def check(request: HttpRequest) -> Vars:
    """Site discovery (no envelope, mobile_api.md §2.2): ★ ``discuzversion``,
    ``charset``, ``pluginversion``, ``regname``, ``qqconnect``…, ``sitename``,
    ``mysiteid`` (always ``""``), ``ucenterurl`` (this site's ``/uc_server``, where
    ``avatar.php`` is routed). ``totalposts``/``totalmembers`` stay numbers, as in X3.4."""
    site = get_site_settings()
    stats = counters.site_stats()
    posts = sum(Board.objects.exclude(kind=Board.Kind.CATEGORY).values_list("posts", flat=True))
    return {
        "discuzversion": "X3.2",
        "charset": "utf-8",
        "version": envelope.VERSION,
        "pluginversion": "1.4.8",
        "regname": "register",
        "qqconnect": "0",
        "wsqqqconnect": "0",
        "wsqhideregister": "0",
        "sitename": site.site_name,
        "mysiteid": "",
        "ucenterurl": envelope.ucenter_url(request),
        "defaultfid": "",
        "totalposts": int(posts),
        "totalmembers": int(stats.members),
        "testcookie": None,
    }


# --- forumindex ----------------------------------------------------------------------------


def _board_fields(b: Board, base: int, *, threads: int, posts: int, today: int) -> Vars:
    return {
        "fid": ids.encode_pk("board", b.pk, b.discuz_fid, base),
        "name": b.name,
        "threads": threads,
        "posts": posts,
        "todayposts": today,
        "description": b.description,
        "redirect": b.redirect_url,
        "icon": "",
    }


def forumindex(request: HttpRequest, p: QueryDict) -> Vars:
    """The board list (§2.3): ★ ``catlist[]`` {fid, name, forums[]}, ★ ``forumlist[]``
    {fid, name, … sublist[]}, ★ ``group``, ★ ``member_credits``, ★ ``setting_bbclosed``.
    The boards the board index shows the viewer (hidden and other groups' boards left
    out), with the same counts."""
    viewer = request.viewer  # type: ignore[attr-defined]
    data = index_queries.index_data(viewer)
    today = counters.site_date(timezone.now())
    base = ids.offset()
    catlist, forumlist = [], []
    for category, rows in data.categories:
        fids = []
        for row in rows:
            item = _board_fields(
                row.board, base, threads=row.threads, posts=row.posts, today=row.today
            )
            item["sublist"] = [
                _board_fields(
                    s,
                    base,
                    threads=s.threads,
                    posts=s.posts,
                    today=counters.day_counts(s, today)[0],
                )
                for s in row.subs
            ]
            forumlist.append(item)
            forumlist.extend(item["sublist"])
            fids.append(item["fid"])
        if category is not None:
            catlist.append(
                {
                    "fid": ids.encode_pk("board", category.pk, category.discuz_fid, base),
                    "name": category.name,
                    "forums": fids,
                }
            )
        else:
            catlist.append({"fid": 0, "name": _("论坛"), "forums": fids})
    user = request.user
    return {
        "member_email": getattr(user, "email", None) if user.is_authenticated else None,
        "member_credits": user.credits if user.is_authenticated else 0,  # type: ignore[union-attr]
        "setting_bbclosed": 0,
        "group": _group(request),
        "catlist": catlist,
        "forumlist": forumlist,
    }


FORUMINDEX_DEFAULTS: Vars = {
    "member_credits": "0",
    "setting_bbclosed": "0",
    "group": {"groupid": "7", "grouptitle": ""},
    "catlist": [],
    "forumlist": [],
}


# --- forumdisplay --------------------------------------------------------------------------


def load_board(request: HttpRequest, fid: int | None) -> Board:
    """The board of mobile id ``fid`` the viewer may read; ``MobileError``
    ``forum_nonexistence`` for an unknown or hidden one, the refusal otherwise."""
    condition = ids.lookup("board", fid)
    board = (
        Board.objects.select_related("parent__parent").filter(condition).first()
        if condition is not None
        else None
    )
    if board is None:
        raise MobileError("forum_nonexistence", _("抱歉，指定的版块不存在。"))
    viewer = request.viewer  # type: ignore[attr-defined]
    try:
        permissions.check_view_board(viewer, board)
        permissions.check_read_board(viewer, board)
    except Http404:
        raise MobileError("forum_nonexistence", _("抱歉，指定的版块不存在。")) from None
    except PermissionDenied as exc:
        raise refusal(request, exc) from None
    return board


def _forum_fields(board: Board, base: int, threadcount: int) -> Vars:
    parent = board.parent if board.parent_id else None
    return {
        "fid": ids.encode_pk("board", board.pk, board.discuz_fid, base),
        "fup": ids.encode("board", parent, base) if parent is not None else 0,
        "name": board.name,
        "threads": board.threads,
        "posts": board.posts,
        "threadcount": threadcount,
        "rules": board.rules,
        "autoclose": 0,
        "password": 1 if board.password else 0,
        "icon": "",
        "picstyle": 0,
        "description": board.description,
        "redirect": board.redirect_url,
    }


def forumdisplay(request: HttpRequest, p: QueryDict) -> Vars:
    """A page of a board's threads (§2.4): ★ ``forum`` (``threadcount`` = the threads the
    list pages through), ★ ``group``, ★ ``forum_threadlist[]``, ★ ``tpp``, ``page``,
    ``sublist[]``, ``threadtypes`` when the board has types. The board page's list
    (:func:`luntan.boardpages.queries.thread_list`: stickies first, other boards' global
    stickies on page 1); a page past the end is empty, so the app stops paging."""
    board = load_board(request, int_param(p, "fid"))
    base = ids.offset()
    page = page_param(p)
    type_id = None
    typeid = int_param(p, "typeid")
    if typeid:
        from luntan.boards.models import ThreadType

        type_id = (
            ThreadType.objects.filter(board=board, pk=typeid).values_list("pk", flat=True).first()
        )
    listing = index_queries.thread_list(board, page, type_id, user=request.viewer)  # type: ignore[attr-defined]
    threadcount = board.threads
    if listing.type_id is not None:
        threadcount = Thread.objects.filter(
            board=board, state=Thread.State.NORMAL, type_id=listing.type_id
        ).count()
    rows = [] if page > listing.page else [r.thread for r in listing.threads]
    uids = uid_map(t.author_id for t in rows if not t.is_anonymous)
    fid = ids.encode_pk("board", board.pk, board.discuz_fid, base)
    threadlist = []
    for t in rows:
        row = thread_row(t, uids, base, request)
        row["fid"] = fid if t.board_id == board.pk else None
        threadlist.append(row)
    out: Vars = {
        "forum": _forum_fields(board, base, threadcount),
        "group": {"groupid": _group(request)["groupid"], "grouptitle": request.viewer.rights.name},  # type: ignore[attr-defined]
        "forum_threadlist": threadlist,
        "sublist": [
            {
                "fid": ids.encode_pk("board", s.pk, s.discuz_fid, base),
                "name": s.name,
                "threads": s.threads,
                "posts": s.posts,
                "todayposts": 0,
                "icon": "",
            }
            for s in listing.subs
        ],
        "tpp": settings.LUNTAN_THREADS_PER_PAGE,
        "page": page,
        "ismoderator": 1 if permissions.is_moderator(request.viewer, board) else 0,  # type: ignore[attr-defined]
    }
    if listing.types:
        out["threadtypes"] = {
            "required": 1 if board.thread_types_required else 0,
            "listable": 1,
            "prefix": 1,
            "types": {str(t.pk): t.name for t in listing.types},
            "icons": {},
            "moderators": {},
        }
    return out


FORUMDISPLAY_DEFAULTS: Vars = {
    "forum": {"fid": "0", "name": "", "threadcount": "0", "threads": "0", "posts": "0"},
    "group": {"groupid": "7", "grouptitle": ""},
    "forum_threadlist": [],
    "sublist": [],
    "tpp": str(getattr(settings, "LUNTAN_THREADS_PER_PAGE", 20)),
    "page": "1",
}


# --- viewthread ----------------------------------------------------------------------------


def load_thread(request: HttpRequest, tid: int | None) -> Thread:
    """The thread of mobile id ``tid`` the viewer may read, loaded as the thread page
    loads it; ``thread_nonexistence`` or the refusal otherwise."""
    pk = ids.decode_pk(Thread, "thread", tid)
    if pk is None:
        raise MobileError(
            "thread_nonexistence", _("抱歉，指定的主题不存在或已被删除或正在被审核。")
        )
    try:
        thread = queries.get_visible_thread(pk)
        permissions.check_view_thread(request.viewer, thread)  # type: ignore[attr-defined]
    except Http404:
        raise MobileError(
            "thread_nonexistence", _("抱歉，指定的主题不存在或已被删除或正在被审核。")
        ) from None
    except PermissionDenied as exc:
        raise refusal(request, exc) from None
    return thread


def thread_fields(thread: Thread, base: int, uids: dict[int, int], replies: int) -> Vars:
    """``Variables.thread`` of viewthread: ★ ``author``, ``subject``, ``displayorder``,
    ``views``; ``replies`` drives the app's paging (loaded ≥ replies + 1 stops)."""
    anonymous = thread.is_anonymous
    return {
        "tid": ids.encode_pk("thread", thread.pk, thread.discuz_tid, base),
        "fid": ids.encode_pk("board", thread.board_id, thread.board.discuz_fid, base),
        "typeid": thread.type_id or 0,
        "author": _("匿名") if anonymous else thread.author_name,
        "authorid": 0 if anonymous or not thread.author_id else uids.get(thread.author_id, 0),
        "subject": thread.subject,
        "short_subject": thread.subject[:40],
        "dateline": human_time(thread.created),
        "lastpost": human_time(thread.last_post_at),
        "views": thread.views,
        "replies": replies,
        "allreplies": thread.replies,
        "displayorder": thread.sticky,
        "highlight": thread.highlight or "",
        "digest": thread.digest,
        "closed": 1 if thread.closed else 0,
        "readperm": thread.read_level,
        "price": 0,
        "sortid": 0,
        "special": 0,
        "rate": 0,
        "status": 0,
        "freemessage": "",
        "recommend": 0,
        "ordertype": 0,
    }


def viewthread(request: HttpRequest, p: QueryDict) -> Vars:
    """A page of a thread's posts (§2.5): ★ ``thread``, ``fid``, ``postlist[]``, ★ ``ppp``,
    ``page``, ``special_poll`` for a poll. The thread page's read model
    (:class:`luntan.threads.page.ThreadPage`: the same visibility, floor extras, 屏蔽 and
    [hide]/[password] handling), each body turned into the mobile HTML
    (:func:`luntan.api.mobile.html.mobile_html`). ``ppp`` (1–50), ``page``, ``authorid``
    (只看该作者) and ``ordertype=1`` (newest first) as in Discuz!. Counts one view."""
    thread = load_thread(request, int_param(p, "tid"))
    viewer = request.viewer  # type: ignore[attr-defined]
    base = ids.offset()
    ppp = int_param(p, "ppp", settings.LUNTAN_POSTS_PER_PAGE, 50) or settings.LUNTAN_POSTS_PER_PAGE
    page = page_param(p)
    author_pk = None
    authorid = int_param(p, "authorid")
    if authorid:
        author_pk = ids.decode_pk(User, "user", authorid) or 0
    site = get_site_settings()
    rights = None
    if request.user.is_authenticated:
        rights = posting_rights(viewer, thread, window_seconds=site.edit_window_seconds)
    view = ThreadPage(
        thread,
        viewer=viewer,
        rights=rights,
        number=page,
        author_id=author_pk,
        desc=int_param(p, "ordertype") == 1,
        region_level=site.ip_location_level,
        per_page=ppp,
    )
    if author_pk is not None:
        shown = queries.count_author_posts(thread, author_pk, view.moderator)
    else:
        shown = queries.count_seen(thread, view.moderator)
    floors = []
    if page <= view.num_pages:
        view.load()
        floors = view.floors
    view_counts.record_view(thread.pk, request)
    uids = uid_map([thread.author_id, *(f.post.author_id for f in floors)])
    postlist = [html.post_item(request, thread, f, uids, base) for f in floors]
    out: Vars = {
        "thread": thread_fields(thread, base, uids, max(0, shown - 1)),
        "fid": ids.encode_pk("board", thread.board_id, thread.board.discuz_fid, base),
        "postlist": postlist,
        "ppp": ppp,
        "page": page,
        "ismoderator": 1 if view.moderator else 0,
        "forum": {"password": 1 if thread.board.password else 0},
    }
    poll = html.poll_fields(viewer, thread)
    if poll is not None:
        out["special_poll"] = poll
        out["thread"]["special"] = 1
    return out


VIEWTHREAD_DEFAULTS: Vars = {
    "thread": {
        "tid": "0",
        "author": "",
        "subject": "",
        "displayorder": "0",
        "views": "0",
        "replies": "0",
    },
    "postlist": [],
    "ppp": str(getattr(settings, "LUNTAN_POSTS_PER_PAGE", 10)),
    "page": "1",
}


# --- newthreads, hotthread -----------------------------------------------------------------


def _readable_boards(request: HttpRequest) -> list[Board]:
    """Boards whose threads the viewer may read (visible, not password-locked)."""
    viewer = request.viewer  # type: ignore[attr-defined]
    boards = list(Board.objects.exclude(kind=Board.Kind.CATEGORY).select_related("parent__parent"))
    seen = permissions.visible_boards(viewer, boards)
    return [b for b in seen if not permissions.board_locked(viewer, b)]


def _listed(request: HttpRequest, qs, start: int, limit: int) -> list[Vars]:
    from luntan.threads.queries import LIST_FIELDS

    base = ids.offset()
    rows = list(qs.only(*LIST_FIELDS)[start : start + limit])
    uids = uid_map(t.author_id for t in rows if not t.is_anonymous)
    fids = {
        b.pk: ids.encode_pk("board", b.pk, b.discuz_fid, base)
        for b in Board.objects.filter(pk__in={t.board_id for t in rows}).only("pk", "discuz_fid")
    }
    out = []
    for t in rows:
        row = thread_row(t, uids, base, request)
        row["fid"] = fids.get(t.board_id, 0)
        out.append(row)
    return out


def newthreads(request: HttpRequest, p: QueryDict) -> Vars:
    """The landing tab (§2.7): ``data[]``, newest threads first over ``fids`` (a comma
    list of mobile fids; absent: every board the viewer may read), ``start``/``limit``
    (≤ 100). Threads of boards the viewer may not read never appear."""
    readable = _readable_boards(request)
    wanted = None
    raw = (p.get("fids") or "").strip()
    if raw:
        wanted = {
            int(part)
            for part in (s.strip() for s in raw.split(",")[:500])
            if part.isascii() and part.isdigit() and len(part) <= 18
        }
    base = ids.offset()
    pks = [
        b.pk
        for b in readable
        if wanted is None or ids.encode_pk("board", b.pk, b.discuz_fid, base) in wanted
    ]
    start = int_param(p, "start", 0, 100_000) or 0
    limit = min(max(int_param(p, "limit", 20, 100) or 20, 1), 100)
    qs = Thread.objects.filter(
        board_id__in=pks,
        state=Thread.State.NORMAL,
        read_level__lte=request.viewer.rights.read_access,  # type: ignore[attr-defined]
    ).order_by("-created", "-id")
    return {"data": _listed(request, qs, start, limit), "perpage": limit}


def hotthread(request: HttpRequest, p: QueryDict) -> Vars:
    """Hot threads (§2.7, Discuz! 热门 guide): the most replied threads of the last 30
    days over the boards the viewer may read, 50 a page: ``data[]``, ``perpage``."""
    readable = [b.pk for b in _readable_boards(request)]
    page = page_param(p)
    since = timezone.now() - timedelta(days=30)
    qs = Thread.objects.filter(
        board_id__in=readable,
        state=Thread.State.NORMAL,
        last_post_at__gte=since,
        read_level__lte=request.viewer.rights.read_access,  # type: ignore[attr-defined]
    ).order_by("-replies", "-last_post_at", "-id")
    return {"data": _listed(request, qs, (page - 1) * 50, 50), "perpage": 50, "page": page}


LIST_DEFAULTS: Vars = {"data": [], "perpage": "20"}


# --- profile, smiley, checkpost -------------------------------------------------------------


def profile(request: HttpRequest, p: QueryDict) -> Vars:
    """A member's public profile (§2.7): ``space`` {uid, username, regdate, credits,
    extcredits1-8 (those the web profile shows), posts, threads, digestposts,
    group{grouptitle}, sightml, …} and ``extcredits`` {id: {title, unit, …}}. ``uid`` absent or 0: the viewer
    (a guest gets ``to_login``)."""
    uid = int_param(p, "uid", 0) or 0
    if uid == 0:
        user = need_member(request)
    else:
        pk = ids.decode_pk(User, "user", uid)
        found = (
            User.objects.select_related("group").filter(pk=pk, is_active=True).first()
            if pk
            else None
        )
        if found is None:
            raise MobileError("space_does_not_exist", _("抱歉，您指定的用户空间不存在。"))
        user = found
    # The signature as the profile page and the floors show it: the stored HTML, rendered
    # under the group's signature rights, and none for a banned member or a group that
    # may not have one (``shown_signature``), never the source re-rendered with full BBCode.
    sightml = shown_signature(user)
    # The extended credits the web profile shows (enabled, 在个人资料中显示), with their
    # names and units in ``extcredits`` as Discuz!'s ``$_G['setting']['extcredits']``.
    balance = MemberCredits.objects.filter(user_id=user.pk).first()
    shown = [
        (pk, name, unit)
        for pk, (name, unit, enabled, in_profile) in sorted(extcredit_names().items())
        if enabled and in_profile and name
    ]
    amounts = {f"extcredits{pk}": getattr(balance, f"extcredits{pk}", 0) for pk, _n, _u in shown}
    return {
        "space": {
            "uid": ids.encode("user", user),
            "username": user.username,
            "regdate": human_time(user.date_joined),
            "credits": user.credits,
            **amounts,
            "posts": user.posts,
            "threads": user.threads,
            "digestposts": balance.digestposts if balance is not None else 0,
            "customstatus": user.custom_title,
            "sightml": sightml,
            "groupid": user.group_id,
            "group": {"grouptitle": user.group.name if user.group_id else ""},
            "lastvisit": human_time(user.last_login),
        },
        "extcredits": {
            str(pk): {"title": name, "unit": unit, "img": "", "ratio": "0", "available": "1"}
            for pk, name, unit in shown
        },
    }


PROFILE_DEFAULTS: Vars = {"space": {}, "extcredits": {}}


#: Where the apps load smiley images from: ``{base}/static/image/smiley/{image}`` (§2.8);
#: :func:`luntan.api.mobile.views.smiley_image` redirects it to the stored file.
SMILEY_PREFIX = "smilies/"


def smiley(request: HttpRequest, p: QueryDict) -> Vars:
    """The smiley picker (§2.7): ★ ``smilies``, one array per available set
    (:class:`luntan.core.models.SmileySet`, imported from Discuz!'s ``forum_imagetype``,
    in display order) of ★ ``{code, image}``; ``image`` is the stored file's path under
    ``smilies/`` (``dir/file.gif``), which the apps append to
    ``{base}/static/image/smiley/``. Smilies without an image (shown as emoji on the
    pages) and empty sets are left out; a site without smilies answers ``[]``."""
    sets: dict[int, list[Vars]] = {}
    rows = (
        Smiley.objects.filter(smiley_set__is_available=True)
        .exclude(image="")
        .order_by("smiley_set__display_order", "smiley_set_id", "display_order", "pk")
        .values_list("smiley_set_id", "code", "image")
    )
    for set_id, code, image in rows:
        if not image.startswith(SMILEY_PREFIX):
            continue
        sets.setdefault(set_id, []).append({"code": code, "image": image[len(SMILEY_PREFIX) :]})
    return {"smilies": list(sets.values())}


def checkpost(request: HttpRequest, p: QueryDict) -> Vars:
    """The upload panel's rights in a board (§2.7): ★ ``allowperm`` {allowpost,
    allowreply, ★ uploadhash, ★ allowupload{ext: max bytes or 0}, ★ attachremain
    {size, count}}; objects even for members who may not upload."""
    board = load_board(request, int_param(p, "fid"))
    viewer = request.viewer  # type: ignore[attr-defined]
    member = request.user.is_authenticated
    may_upload = member and permissions.can_upload(viewer, board)
    limit = int(getattr(settings, "LUNTAN_ATTACHMENT_MAX_BYTES", 2 * 1024 * 1024))
    exts = ("jpg", "jpeg", "gif", "png", "webp")
    return {
        "allowperm": {
            "allowpost": 1 if member and permissions.can_start_thread(viewer, board) else 0,
            "allowreply": 1 if member and viewer.rights.allow_reply else 0,
            "uploadhash": envelope.formhash(request),
            "allowupload": {e: (limit if may_upload else 0) for e in exts},
            "attachremain": {"size": limit if may_upload else 0, "count": 99 if may_upload else 0},
        }
    }


CHECKPOST_DEFAULTS: Vars = {
    "allowperm": {
        "allowpost": "0",
        "allowreply": "0",
        "uploadhash": "",
        "allowupload": {},
        "attachremain": {"size": "0", "count": "0"},
    },
}


# --- member lists ------------------------------------------------------------------------


def mynotelist(request: HttpRequest, p: QueryDict) -> Vars:
    """The member's notices (提醒, §2.7): ``list[]`` {id, uid, ★ type, new, authorid,
    author, ★ note (HTML), dateline, from_id, from_idtype, notevar{tid, pid, subject,
    actoruid, actorusername}}, ``count``, ``perpage``, ``page``. Newest first."""
    from django.utils.html import format_html

    from luntan.notifications.models import Notification

    user = need_member(request)
    page = page_param(p)
    perpage = 20
    base = ids.offset()
    qs = (
        Notification.objects.filter(recipient=user)
        .select_related("thread__board__parent__parent", "post")
        .order_by("-created", "-id")
    )
    count = qs.count()
    rows = list(qs[(page - 1) * perpage : page * perpage])
    uids = uid_map(n.actor_id for n in rows)
    items = []
    for n in rows:
        actor = uids.get(n.actor_id or 0, 0)
        thread = n.thread
        if thread is None:  # a notice about no thread (短消息): it links to its page
            href = request.build_absolute_uri(n.url or "/")
            note = format_html('{} <a href="{}">{}</a>', n.actor_name, href, n.get_kind_display())
            tid = pid = 0
            subject = ""
            kind = "pm" if n.kind == "pm" else "system"
        else:
            tid = ids.encode("thread", thread, base)
            pid = ids.encode("post", n.post, base) if n.post is not None else 0
            # a thread the member may no longer read is named by nothing but its id
            subject = thread.subject if permissions.can_view_thread(user, thread) else ""
            note = format_html(
                '{} <a href="forum.php?mod=redirect&goto=findpost&ptid={}&pid={}">{}</a> {}',
                n.actor_name,
                tid,
                pid,
                subject,
                n.get_kind_display(),
            )
            kind = "post"
        items.append(
            {
                "id": n.pk,
                "uid": ids.encode("user", user, base),
                "type": kind,
                "new": 0 if n.read_at else 1,
                "authorid": actor,
                "author": n.actor_name,
                "note": str(note),
                "dateline": ts(n.created),
                "from_id": tid,
                "from_idtype": kind,
                "from_num": 1,
                "notevar": {
                    "tid": tid,
                    "pid": pid,
                    "subject": subject,
                    "actoruid": actor,
                    "actorusername": n.actor_name,
                },
            }
        )
    return {"list": items, "count": count, "perpage": perpage, "page": page}


PAGED_DEFAULTS: Vars = {"list": [], "count": "0", "perpage": "20", "page": "1"}


def _favorites(request: HttpRequest, p: QueryDict, kind: str) -> Vars:
    from luntan.favorites.models import Favorite

    user = need_member(request)
    page = page_param(p)
    perpage = 20
    base = ids.offset()
    viewer = request.viewer  # type: ignore[attr-defined]
    if kind == "thread":
        qs = Favorite.objects.filter(
            user=user, thread__isnull=False, thread__state=Thread.State.NORMAL
        ).select_related("thread__board__parent__parent")
    else:
        qs = Favorite.objects.filter(user=user, board__isnull=False).select_related(
            "board__parent__parent"
        )
    rows = list(qs.order_by("-created", "-id"))
    items = []
    for fav in rows:
        if kind == "thread":
            t = fav.thread
            if t is None or not permissions.can_view_thread(viewer, t):
                continue
            item = {
                "id": ids.encode("thread", t, base),
                "idtype": "tid",
                "title": t.subject,
                "description": "",
                "author": _("匿名") if t.is_anonymous else t.author_name,
                "replies": t.replies,
            }
        else:
            b = fav.board
            if b is None or not permissions.can_view_board(viewer, b):
                continue
            item = {
                "id": ids.encode("board", b, base),
                "idtype": "fid",
                "title": b.name,
                "description": b.description,
                "author": "",
                "replies": b.threads,
            }
        item.update(
            {"favid": fav.pk, "uid": ids.encode("user", user, base), "dateline": ts(fav.created)}
        )
        items.append(item)
    count = len(items)
    return {
        "list": items[(page - 1) * perpage : page * perpage],
        "count": count,
        "perpage": perpage,
        "page": page,
    }


def myfavthread(request: HttpRequest, p: QueryDict) -> Vars:
    """The member's favourite threads (§2.7): ★ ``list[]`` {favid, uid, id, ★ idtype,
    ★ title, ★ description, ★ author, replies, dateline}, ``count``, ``perpage``."""
    return _favorites(request, p, "thread")


def myfavforum(request: HttpRequest, p: QueryDict) -> Vars:
    """The member's favourite boards, shaped like :func:`myfavthread`."""
    return _favorites(request, p, "board")


def mypm(request: HttpRequest, p: QueryDict) -> Vars:
    """Private messages (:mod:`luntan.api.mobile.pm_bridge`): the conversation list, or
    with ``subop=view&touid=N`` the conversation with member ``N``."""
    user = need_member(request)
    page = page_param(p)
    if p.get("subop") == "view":
        pk = ids.decode_pk(User, "user", int_param(p, "touid"))
        other = User.objects.filter(pk=pk).first() if pk else None
        if other is None:
            raise MobileError("space_does_not_exist", _("抱歉，您指定的用户空间不存在。"))
        return pm_bridge.conversation_with(request, user, other, page, 20)
    return pm_bridge.conversations(request, user, page, 20)


def publicpm(request: HttpRequest, p: QueryDict) -> Vars:
    """System messages (公共消息, §2.7): the logged-in member's 系统消息
    (:func:`luntan.pms.services.system_notices`, Discuz! ``common_grouppm`` imported),
    newest first, 20 a page: ★ ``list[]`` of ``{id, authorid ("0": the site),
    author, dateline (Unix seconds, as X3.4's row), message (the sanitised HTML with
    absolute URLs)}``, ``count``, ``perpage``, ``page``. Guests get ``to_login``."""
    user = need_member(request)
    page, perpage = page_param(p), 20
    root = request.build_absolute_uri("/").rstrip("/")
    rows = pm_services.system_notices(user, limit=perpage, offset=(page - 1) * perpage)
    items = [
        {
            "id": r.notice.discuz_id or r.notice.pk,
            "authorid": 0,
            "author": r.notice.author_name,
            "dateline": ts(r.notice.created),
            "message": html.mobile_html(r.notice.html, root),
        }
        for r in rows
    ]
    count = pm_services.count_system_notices(user)
    return {"list": items, "count": count, "perpage": perpage, "page": page}
