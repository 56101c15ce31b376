"""What the mobile modules share: errors as Discuz! message keys, parameters, rows of
threads, times and member ids."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan import permissions
from luntan.accounts.models import User
from luntan.api.mobile import ids
from luntan.core.parsing import MAX_ID


class MobileError(Exception):
    """A refusal answered as ``Message {messageval: key, messagestr: text}`` in the
    envelope (Discuz! ``showmessage``); ``key`` is a Discuz! language key where one
    exists (mobile_api.md §1.5)."""

    def __init__(self, key: str, text: str) -> None:
        super().__init__(text)
        self.key = key
        self.text = text


def params(request: HttpRequest) -> QueryDict:
    """The query string and the form body merged, the body winning (Discuz! merges both
    into ``$_GET``; apps split parameters between them)."""
    merged = request.GET.copy()
    for key in request.POST:
        merged.setlist(key, request.POST.getlist(key))
    return merged


def text_param(p: QueryDict, name: str, max_length: int = 100_000) -> str:
    """Parameter ``name`` as text ('' when absent); NUL characters are refused
    (``MobileError`` ``param_error``), so nothing reaches the database with one, and so
    is text longer than ``max_length`` characters (``post_message_toolong``, Discuz!'s
    key): it is never cut short silently, as the pages' forms refuse it too."""
    value = p.get(name) or ""
    if "\x00" in value:
        raise MobileError("param_error", _("请求参数不正确。"))
    if len(value) > max_length:
        raise MobileError(
            "post_message_toolong", _("内容过长，不能超过 %(n)d 个字符。") % {"n": max_length}
        )
    return value


def int_param(
    p: QueryDict, name: str, default: int | None = None, maximum: int = MAX_ID
) -> int | None:
    """Parameter ``name`` as an int in 0 … ``maximum``, ``default`` when absent or not
    a plain number (apps send junk; it must never be a 500)."""
    raw = (p.get(name) or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return default
    n = int(raw)
    return n if n <= maximum else default


def page_param(p: QueryDict, name: str = "page") -> int:
    """A 1-based page number (junk → 1, capped at 100 000)."""
    n = int_param(p, name, 1, 100_000) or 1
    return max(1, n)


def ts(value: datetime | None) -> int:
    """Unix seconds (0 for ``None``): the ``db*`` time fields."""
    return int(value.timestamp()) if value is not None else 0


def human_time(value: datetime | None) -> str:
    """``2024-1-5 13:04`` in the active time zone (Discuz! ``dgmdate`` ``u`` style without
    the relative words): the human ``dateline``/``lastpost`` fields."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local.year}-{local.month}-{local.day} {local:%H:%M}"


def uid_map(pks: Iterable[int | None]) -> dict[int, int]:
    """``{pk: mobile uid}`` for member ``pks`` (one query; absent pks are left out)."""
    wanted = {pk for pk in pks if pk}
    if not wanted:
        return {}
    base = ids.offset()
    rows = User.objects.filter(pk__in=wanted).values_list("pk", "discuz_uid")
    return {pk: ids.encode_pk("user", pk, discuz, base) for pk, discuz in rows}


def refusal(request: HttpRequest, exc: PermissionDenied) -> MobileError:
    """A permission refusal as a message: guests are sent to log in (``to_login//1``,
    Discuz!'s key for "please log in"), a board password as ``forum_passwd``, other
    refusals with the permission module's reason."""
    if isinstance(exc, permissions.BoardPasswordRequired):
        return MobileError("forum_passwd", _("本版块需要密码，请在网页上输入密码后访问。"))
    if not request.user.is_authenticated:
        return MobileError("to_login//1", _("您需要先登录才能继续本操作。"))
    return MobileError("no_privilege", str(exc) or _("您没有权限进行此操作。"))


def need_member(request: HttpRequest) -> User:
    """The logged-in member, or ``MobileError`` ``to_login//1`` for a guest."""
    if not request.user.is_authenticated:
        raise MobileError("to_login//1", _("您需要先登录才能继续本操作。"))
    return request.user  # type: ignore[return-value]


def thread_row(t: Any, uids: dict[int, int], base: int, request: HttpRequest) -> dict:
    """One thread of a list (``forum_threadlist[]``, ``data[]``; mobile_api.md §2.4):
    ★ ``tid``, ★ ``authorid``, ★ ``dblastpost``, the ★ strings of the hot/new lists
    (``author``, ``subject``, ``dateline``, ``lastpost``, ``lastposter``, ``views``,
    ``highlight``)."""
    from luntan.api.mobile.envelope import avatar_url

    anonymous = t.is_anonymous
    authorid = 0 if anonymous or not t.author_id else uids.get(t.author_id, 0)
    return {
        "tid": ids.encode_pk("thread", t.pk, t.discuz_tid, base),
        "fid": None,
        "typeid": t.type_id or 0,
        "readperm": t.read_level,
        "author": _("匿名") if anonymous else t.author_name,
        "authorid": authorid,
        "subject": html.escape(t.subject, quote=True),
        "dateline": human_time(t.created),
        "dbdateline": ts(t.created),
        "lastpost": human_time(t.last_post_at),
        "dblastpost": ts(t.last_post_at),
        "lastposter": getattr(t, "last_poster_name", "") or "",
        "views": t.views,
        "replies": t.replies,
        "displayorder": t.sticky,
        "digest": t.digest,
        "closed": 1 if t.closed else 0,
        "special": 0,
        "attachment": 0,
        "price": 0,
        "replycredit": 0,
        "rushreply": 0,
        "recommend": 0,
        "recommend_add": 0,
        "highlight": t.highlight or "",
        "avatar": avatar_url(request, authorid),
    }
