"""301 redirects from Discuz! X3.4 URLs (``forum.php``, ``thread-N-P-1.html``,
``forum-F-P.html``, ``home.php``, ``space-uid-N.html``, ``member.php``, ``search.php``) to the imported rows' new URLs.

Imported rows keep their Discuz! ids (``discuz_tid``, ``discuz_fid``, ``discuz_pid``,
``discuz_typeid``, ``discuz_uid``); :mod:`luntan.importers.discuz.legacy` resolves them.
Malformed ids are treated as absent (:mod:`luntan.core.parsing`); unknown ids give 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from luntan.accounts.models import User
from luntan.boards.models import Board, ThreadType
from luntan.core.parsing import parse_id, parse_page
from luntan.importers.discuz.legacy import (
    attachment_url_for_aid,
    post_for_discuz_pid,
    thread_for_discuz_tid,
)
from luntan.threads import queries as thread_queries


def _with_page(url: str, page: int) -> str:
    return f"{url}?page={page}" if page > 1 else url


def _thread_by_tid(tid: int | None, page: int = 1) -> HttpResponsePermanentRedirect:
    # The importer's lookup also follows moved-thread stubs (Discuz! closed > 1).
    thread = thread_for_discuz_tid(tid) if tid is not None else None
    if thread is None:
        raise Http404
    return HttpResponsePermanentRedirect(_with_page(thread.get_absolute_url(), page))


def _board_by_fid(fid: int | None, page: int = 1) -> HttpResponsePermanentRedirect:
    if fid is None:
        raise Http404
    board = get_object_or_404(Board.objects.only("id"), discuz_fid=fid)
    return HttpResponsePermanentRedirect(_with_page(board.get_absolute_url(), page))


def _post_by_pid(pid: int | None) -> HttpResponsePermanentRedirect:
    post = post_for_discuz_pid(pid) if pid is not None else None
    if post is None:
        raise Http404
    return HttpResponsePermanentRedirect(post.get_absolute_url())


def _add_query(response: HttpResponsePermanentRedirect, **params) -> HttpResponse:
    wanted = {k: v for k, v in params.items() if v is not None}
    if wanted:
        sep = "&" if "?" in response["Location"] else "?"
        response["Location"] += sep + "&".join(f"{k}={v}" for k, v in wanted.items())
    return response


def _type_by_typeid(typeid: int | None) -> int | None:
    if typeid is None:
        return None
    return ThreadType.objects.filter(discuz_typeid=typeid).values_list("pk", flat=True).first()


def _user_by_uid(uid: int | None) -> int | None:
    if uid is None:
        return None
    return User.objects.filter(discuz_uid=uid).values_list("pk", flat=True).first()


def _last_page_of_tid(tid: int | None) -> HttpResponsePermanentRedirect:
    thread = thread_for_discuz_tid(tid) if tid is not None else None
    if thread is None:
        raise Http404
    last = thread_queries.num_pages(thread, settings.LUNTAN_POSTS_PER_PAGE)  # a guest's
    return HttpResponsePermanentRedirect(_with_page(thread.get_absolute_url(), last))


def legacy_forum_php(request: HttpRequest) -> HttpResponse:
    """301 from Discuz! X ``forum.php`` links to the new URLs.

    - ``mod=viewthread&tid=N[&page=P][&authorid=U]`` → ``/t/<id>/[?page=P][&author=<uid>]``
      (thread with ``discuz_tid=N``; 只看该作者 kept for an imported member)
    - ``mod=forumdisplay&fid=F[&page=P][&typeid=T]`` → ``/f/<id>/[?page=P][&type=<id>]``
      (board with ``discuz_fid=F``)
    - ``mod=redirect&goto=findpost&pid=P[&ptid=T]`` → ``/p/<id>/`` (post with ``discuz_pid=P``;
      imported quote headers link here)
    - ``mod=redirect&goto=lastpost&tid=N`` → the thread's last page
    - ``mod=attachment&aid=A`` (A plain or as Discuz!'s ``aidencode()`` writes it) → the
      imported attachment's ``/attachments/<id>/`` (which checks the viewer's rights)
    - ``gid=G`` (a category, Discuz!'s 分区 link) → ``/f/<id>/``
    - anything else (no ``mod``, ``mod=index``, unknown) → ``/``.

    Unknown ids give 404.
    """
    q = request.GET
    mod = q.get("mod", "")
    page = parse_page(q.get("page"))
    if mod == "viewthread":
        response = _thread_by_tid(parse_id(q.get("tid")), page)
        return _add_query(response, author=_user_by_uid(parse_id(q.get("authorid"))))
    if mod == "forumdisplay":
        response = _board_by_fid(parse_id(q.get("fid")), page)
        return _add_query(response, type=_type_by_typeid(parse_id(q.get("typeid"))))
    if mod == "redirect" and q.get("goto") == "findpost":
        return _post_by_pid(parse_id(q.get("pid")))
    if mod == "attachment":  # imported attachment, plain or aidencode()d aid
        url = attachment_url_for_aid(q.get("aid"))
        if url is None:
            raise Http404
        return HttpResponsePermanentRedirect(url)
    if mod == "redirect" and q.get("goto") == "lastpost":
        return _last_page_of_tid(parse_id(q.get("tid")))
    if not mod and q.get("gid"):
        return _board_by_fid(parse_id(q.get("gid")))
    if mod == "rss":  # the board's feed, or the site's without (or with a malformed) fid
        fid = parse_id(q.get("fid"))
        if fid is None:
            return HttpResponsePermanentRedirect(reverse("feeds:site_rss"))
        board = get_object_or_404(Board.objects.only("id"), discuz_fid=fid)
        return HttpResponsePermanentRedirect(reverse("feeds:board_rss", kwargs={"pk": board.pk}))
    return HttpResponsePermanentRedirect("/")


#: ``member.php?mod=…`` → luntan's page (allauth URL names); ``logging`` depends on ``action``.
_MEMBER_PAGES = {
    "register": "account_signup",
    "lostpasswd": "account_reset_password",
    "getpasswd": "account_reset_password",
}


def legacy_member_php(request: HttpRequest) -> HttpResponse:
    """301 from Discuz! X ``member.php`` (登录, 注册, 找回密码) to luntan's account pages.

    - ``mod=logging&action=login`` → ``/accounts/login/``; ``action=logout`` → ``/``
      (logging out takes the POST button in the header)
    - ``mod=register`` (Discuz!'s default ``regname``) → ``/accounts/signup/``
    - ``mod=lostpasswd`` / ``mod=getpasswd`` → ``/accounts/password/reset/``
    - anything else (``mod=activate``, ``mod=connect`` …) → ``/``.
    """
    mod = request.GET.get("mod", "")
    if mod == "logging":
        if request.GET.get("action") == "login":
            return HttpResponsePermanentRedirect(reverse("account_login"))
        return HttpResponsePermanentRedirect("/")
    name = _MEMBER_PAGES.get(mod)
    return HttpResponsePermanentRedirect(reverse(name) if name else "/")


def legacy_search_php(request: HttpRequest) -> HttpResponse:
    """301 from Discuz! X ``search.php`` to ``/search/``, keeping what it can say:
    ``srchtxt`` → ``q``, ``srchuname`` → ``author``, the first ``srchfid[]`` of an
    imported board → ``board``; ``mod=user`` → ``/search/users/?q=``. ``searchid``
    (Discuz!'s cached result sets) is dropped: the search runs again."""
    q = request.GET
    words = "".join(c for c in (q.get("srchtxt") or "") if c.isprintable()).strip()[:100]
    if q.get("mod") == "user":
        url = reverse("search:users")
        return HttpResponsePermanentRedirect(f"{url}?{urlencode({'q': words})}" if words else url)
    params: dict[str, object] = {}
    if words:
        params["q"] = words
    author = (q.get("srchuname") or "").strip()[:15]
    if author:
        params["author"] = author
    fids = q.getlist("srchfid[]") or q.getlist("srchfid")
    fid = parse_id(fids[0]) if fids else None
    if fid is not None:
        board = Board.objects.filter(discuz_fid=fid).values_list("pk", flat=True).first()
        if board is not None:
            params["board"] = board
    url = reverse("search:search")
    return HttpResponsePermanentRedirect(f"{url}?{urlencode(params)}" if params else url)


def legacy_space(request: HttpRequest, uid: str | None = None) -> HttpResponse:
    """301 from a Discuz! member space (``home.php?mod=space&uid=N``, ``space-uid-N.html``;
    imported @mentions link here) to ``/u/<id>/`` of the imported member; 404 if unknown.
    Other ``home.php`` pages go to ``/``."""
    if uid is None:
        if request.GET.get("mod") != "space":
            return HttpResponsePermanentRedirect("/")
        uid = request.GET.get("uid")
    pk = _user_by_uid(parse_id(uid))
    if pk is None:
        raise Http404
    return HttpResponsePermanentRedirect(reverse("members:profile", args=[pk]))


def legacy_thread_html(request: HttpRequest, tid: str, page: str, extra: str) -> HttpResponse:
    """301 from Discuz!'s rewritten ``thread-<tid>-<page>-<listpage>.html`` to ``/t/<id>/``."""
    return _thread_by_tid(parse_id(tid), parse_page(page))


def legacy_forum_html(request: HttpRequest, fid: str, page: str) -> HttpResponse:
    """301 from Discuz!'s rewritten ``forum-<fid>-<page>.html`` to ``/f/<id>/``."""
    return _board_by_fid(parse_id(fid), parse_page(page))
