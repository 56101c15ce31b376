"""The moderation log (管理日志) and thread history in words: each
:class:`~luntan.moderation.models.AuditLog` row's object and change as translated text with
links (主题《…》, 版块 A → B, 第 3 楼 …), never the raw ``before``/``after`` dicts.

:func:`describe_entries` looks up everything the rows mention in at most five queries
(threads, posts, boards, thread types, members), whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from luntan.accounts.models import User
from luntan.boards.models import Board, ThreadType
from luntan.threads.models import Post, Thread

#: Keys whose values are thread ids, board ids, post ids, type ids.
_THREAD_KEYS = ("source", "merged_into", "new_thread", "from_thread")
_BOARD_KEYS = ("board", "parent", "into")
_POST_KEYS = ("post",)
_TYPE_KEYS = ("type",)


class _Lookups:
    """Names and links of the rows a page of log entries mentions (five queries at most)."""

    def __init__(self, entries: list[Any]) -> None:
        ids: dict[str, set[int]] = {"thread": set(), "post": set(), "board": set(), "type": set()}
        users: set[int] = set()
        for e in entries:
            if e.thread_id:
                ids["thread"].add(e.thread_id)
            if e.target_type in ("thread", "post", "board"):
                ids[e.target_type].add(e.target_id)
            if e.target_type == "user":
                users.add(e.target_id)
            for side in (e.before or {}, e.after or {}):
                for keys, kind in (
                    (_THREAD_KEYS, "thread"),
                    (_BOARD_KEYS, "board"),
                    (_POST_KEYS, "post"),
                    (_TYPE_KEYS, "type"),
                ):
                    for key in keys:
                        if isinstance(side.get(key), int):
                            ids[kind].add(side[key])
        self.posts = (
            {
                p.pk: p
                for p in Post.objects.filter(pk__in=ids["post"]).only("pk", "floor", "thread_id")
            }
            if ids["post"]
            else {}
        )
        ids["thread"] |= {p.thread_id for p in self.posts.values()}
        self.threads = (
            dict(Thread.objects.filter(pk__in=ids["thread"]).values_list("pk", "subject"))
            if ids["thread"]
            else {}
        )
        self.boards = (
            dict(Board.objects.filter(pk__in=ids["board"]).values_list("pk", "name"))
            if ids["board"]
            else {}
        )
        self.types = (
            dict(ThreadType.objects.filter(pk__in=ids["type"]).values_list("pk", "name"))
            if ids["type"]
            else {}
        )
        self.users = (
            dict(User.objects.filter(pk__in=users).values_list("pk", "username")) if users else {}
        )

    def thread(self, pk: Any) -> SafeString:
        subject = self.threads.get(pk)
        if subject is None:
            return format_html("{}", _("主题（已不存在）"))
        url = reverse("threads:thread", args=[pk])
        return format_html('<a href="{}">{}</a>', url, _("《%(subject)s》") % {"subject": subject})

    def post(self, pk: Any) -> SafeString:
        post = self.posts.get(pk)
        if post is None:
            return format_html("{}", _("帖子（已不存在）"))
        url = reverse("threads:post", args=[pk])
        subject = self.threads.get(post.thread_id, "")
        return format_html(
            '<a href="{}">{}</a>',
            url,
            _("《%(subject)s》第 %(floor)s 楼") % {"subject": subject, "floor": post.floor},
        )

    def board(self, pk: Any) -> SafeString:
        name = self.boards.get(pk)
        if name is None:
            return format_html("{}", _("版块（已不存在）"))
        return format_html('<a href="{}">{}</a>', reverse("boards:board", args=[pk]), name)

    def type(self, pk: Any) -> SafeString:
        if pk is None:
            return format_html("{}", _("无分类"))
        return format_html("{}", self.types.get(pk, _("分类（已不存在）")))

    def user(self, pk: Any) -> SafeString:
        name = self.users.get(pk)
        if name is None:
            return format_html("{}", _("会员（已不存在）"))
        return format_html('<a href="{}">{}</a>', reverse("members:profile", args=[pk]), name)


def _yes_no(value: Any, yes: str, no: str) -> str:
    return yes if value else no


def _level(name: str, none: str) -> Callable[[Any, _Lookups], SafeString]:
    def show(value: Any, lookups: _Lookups) -> SafeString:
        if not value:
            return format_html("{}", none)
        return format_html("{}", _("%(name)s %(level)s 级") % {"name": name, "level": value})

    return show


def _state(target_type: str) -> Callable[[Any, _Lookups], SafeString]:
    choices = Post.State if target_type == "post" else Thread.State

    def show(value: Any, lookups: _Lookups) -> SafeString:
        try:
            return format_html("{}", choices(value).label)
        except ValueError:
            return format_html("{}", value)

    return show


def _text(value: Any) -> SafeString:
    return format_html("{}", value)


def _fields(target_type: str) -> dict[str, tuple[str, Callable[[Any, _Lookups], SafeString]]]:
    """Label and value renderer of each ``before``/``after`` key."""
    return {
        "closed": (_("状态"), lambda v, lk: _text(_yes_no(v, _("关闭"), _("打开")))),
        "sticky": (_("置顶"), _level(_("置顶"), _("不置顶"))),
        "digest": (_("精华"), _level(_("精华"), _("非精华"))),
        "highlight": (_("高亮"), lambda v, lk: _text(v or _("无"))),
        "bold": (_("加粗"), lambda v, lk: _text(_yes_no(v, _("是"), _("否")))),
        "board": (_("版块"), lambda v, lk: lk.board(v)),
        "type": (_("分类"), lambda v, lk: lk.type(v)),
        "stub": (_("保留跳转"), lambda v, lk: _text(_yes_no(v, _("是"), _("否")))),
        "state": (_("状态"), _state(target_type)),
        "banned": (_("屏蔽"), lambda v, lk: _text(_yes_no(v, _("已屏蔽"), _("未屏蔽")))),
        "resolved": (_("举报"), lambda v, lk: _text(_yes_no(v, _("已处理"), _("未处理")))),
        "source": (_("合并自"), lambda v, lk: lk.thread(v)),
        "merged_into": (_("并入"), lambda v, lk: lk.thread(v)),
        "new_thread": (_("新主题"), lambda v, lk: lk.thread(v)),
        "from_thread": (_("分割自"), lambda v, lk: lk.thread(v)),
        "post": (_("帖子"), lambda v, lk: lk.post(v)),
        "floors": (_("楼层数"), lambda v, lk: _text(v)),
        "posts": (
            _("移走的帖子"),
            lambda v, lk: _text(_("%(n)s 个") % {"n": len(v)} if isinstance(v, list) else v),
        ),
        "warnings": (_("累计警告"), lambda v, lk: _text(_("%(n)s 次") % {"n": v})),
        "fixed": (_("修复"), lambda v, lk: _text(_("%(n)s 处") % {"n": v})),
        "name": (_("名称"), lambda v, lk: _text(v)),
        "parent": (_("上级"), lambda v, lk: lk.board(v) if v else _text(_("无"))),
        "into": (_("并入"), lambda v, lk: lk.board(v)),
        "threads": (_("主题数"), lambda v, lk: _text(v)),
        "kinds": (
            _("项目"),
            lambda v, lk: _text(_("、").join(str(k) for k in v) if isinstance(v, list) else v),
        ),
    }


def _choice_label(choices: dict[Any, Any]) -> Callable[[Any, _Lookups], SafeString]:
    def show(value: Any, lookups: _Lookups) -> SafeString:
        return _text(choices.get(value, value))

    return show


def _site_setting_fields() -> dict[str, tuple[str, Callable[[Any, _Lookups], SafeString]]]:
    """Labels of the site settings the 管理中心 logs (action ``site_settings``): the
    fields' names (站点名称 …), choice values as their labels, yes/no for switches."""
    from luntan.core.models import SiteSettings

    found: dict[str, tuple[str, Callable[[Any, _Lookups], SafeString]]] = {
        "to": (_("收件地址"), lambda v, lk: _text(v)),
    }
    for field in SiteSettings._meta.get_fields():
        name = getattr(field, "name", "")
        if not name or not hasattr(field, "verbose_name"):
            continue
        choices = dict(getattr(field, "choices", None) or ())
        if choices:
            found[name] = (str(field.verbose_name), _choice_label(choices))
        elif field.get_internal_type() == "BooleanField":
            found[name] = (
                str(field.verbose_name),
                lambda v, lk: _text(_yes_no(v, _("是"), _("否"))),
            )
        else:
            found[name] = (
                str(field.verbose_name),
                lambda v, lk: _text(_("（空）") if v in ("", None) else v),
            )
    return found


def _change(entry: Any, lookups: _Lookups) -> SafeString:
    before, after = entry.before or {}, entry.after or {}
    fields = _fields(entry.target_type)
    if entry.target_type == "board":
        return format_html("{}{}", _("版块"), lookups.board(entry.target_id))
    if entry.target_type == "site":
        fields = {**_site_setting_fields(), **fields}
    parts: list[SafeString] = []
    for key in list(dict.fromkeys([*before, *after])):
        label, show = fields.get(key, (key, lambda v, lk: _text(v)))
        if key in before and key in after:
            if before[key] == after[key]:
                continue
            parts.append(
                format_html(
                    "{}{}{} → {}",
                    label,
                    _("："),
                    show(before[key], lookups),
                    show(after[key], lookups),
                )
            )
        else:
            value = after[key] if key in after else before[key]
            parts.append(format_html("{}{}{}", label, _("："), show(value, lookups)))
    return format_html_join(_("；"), "{}", ((p,) for p in parts))


def _target(entry: Any, lookups: _Lookups) -> SafeString:
    if entry.target_type == "thread":
        return format_html("{}{}", _("主题"), lookups.thread(entry.target_id))
    if entry.target_type == "post":
        return lookups.post(entry.target_id)
    if entry.target_type == "user":
        return format_html("{} {}", _("会员"), lookups.user(entry.target_id))
    if entry.target_type == "report":
        post = (entry.after or {}).get("post")
        return format_html("{}", _("举报")) if post is None else lookups.post(post)
    if entry.target_type == "board":
        return format_html("{}{}", _("版块"), lookups.board(entry.target_id))
    if entry.target_type == "site":
        return format_html("{}", _("全站"))
    return format_html("{} #{}", entry.target_type, entry.target_id)


def describe_entries(entries: Iterable[Any]) -> None:
    """Set ``target_html`` (the object, linked: 主题《…》, 《…》第 3 楼, 会员 名字, 全站)
    and ``change_html`` (``label：before → after`` parts joined by ；) on each
    :class:`~luntan.moderation.models.AuditLog` in ``entries``. Keys the table does not
    know are shown as ``key：value`` (escaped). Queries: at most five, for any number of
    entries."""
    rows = list(entries)
    lookups = _Lookups(rows)
    for entry in rows:
        entry.target_html = _target(entry, lookups)
        entry.change_html = _change(entry, lookups)
