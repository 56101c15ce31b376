"""The thread page read model: one object that loads and renders a page of floors.

In the spirit of Discourse's ``TopicView``: :class:`ThreadPage` takes a thread, the
viewer and the page wanted (number, 只看该作者, 倒序) and loads that page's posts in one
query; every registered floor extra (:mod:`luntan.threads.extras`: attachments, ratings,
moderation notices …) then decorates the whole page at once, and :meth:`ThreadPage.render`
turns the floors into HTML with the precompiled template ``threads/_floors.html``
(Jinja2, in ``luntan/threads/jinja2/``; see :mod:`luntan.core.jinja`). The thread page,
reading mode and the quick reply's new floor (htmx) all go through it.

Queries: the page's posts (one, with their authors and groups and the extras'
annotations); ``?author=`` adds a COUNT; an extra adds at most one for the whole page
(none when its annotation says no post has anything). URLs are reversed once per process,
not per floor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template import engines
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from luntan.accounts.avatars import avatar_url
from luntan.core.parsing import pages_for
from luntan.iplocation import format_region
from luntan.permissions.viewer import ViewerLike, as_viewer
from luntan.threads import extras, queries
from luntan.threads.models import Post, Thread
from luntan.threads.templatetags.luntan_threads import (
    discuz_time,
    floor_label,
    post_time,
    safe_color,
)

FLOORS_TEMPLATE = "threads/_floors.html"

# A primary key no row has: reversed once, then split to build every floor's URL.
_SENTINEL = 987654321987


_url_parts: dict[tuple[str, str, object], tuple[str, str]] = {}


def url_maker(name: str) -> Callable[[int], str]:
    """Return ``make(pk) -> URL`` for the URL pattern ``name`` that takes a ``pk``.

    :func:`django.urls.reverse` runs once per name, script prefix and URLconf (the parts
    around the id are kept); each call of ``make`` is then string concatenation —
    reversing per floor would cost a page 20 × its links. Raises ``NoReverseMatch`` for
    an unknown name.
    """
    key = (name, get_script_prefix(), get_urlconf())
    parts = _url_parts.get(key)
    if parts is None:
        head, tail = reverse(name, kwargs={"pk": _SENTINEL}).split(str(_SENTINEL), 1)
        parts = _url_parts[key] = (head, tail)
    head, tail = parts

    def make(pk: int) -> str:
        return f"{head}{int(pk)}{tail}"

    return make


class Floor:
    """One floor (楼层) of a thread page, as the template shows it.

    Built by :class:`ThreadPage` from a :class:`~luntan.threads.models.Post` (``post``,
    with ``author`` and ``author.group`` loaded). Extras fill the slots (lists of
    safe HTML strings): ``notices`` above the body (屏蔽/警告), ``below`` under the body
    inside the post (附件), ``after`` after the post (评分), ``tools`` after the 只看该作者
    links (the moderator's 选择 box), ``actions`` beside 回复 · 引用 (评分, 举报). An
    extra may replace ``html`` (the sanitised post HTML, safe) and set ``body_hidden``
    (the viewer sees a notice instead of the body: later extras leave the body alone)
    and ``withheld`` (the body is hidden from the public, whoever views: reading mode
    404s).
    """

    __slots__ = (
        "post",
        "pk",
        "number",
        "is_op",
        "deleted",
        "anonymous",
        "author",
        "group",
        "label",
        "op_badge",
        "author_url",
        "avatar_url",
        "author_filter_url",
        "group_color",
        "posted",
        "origin",
        "edit_note",
        "html",
        "body_hidden",
        "withheld",
        "permalink",
        "links",
        "notices",
        "below",
        "files",
        "after",
        "tools",
        "actions",
    )

    def __init__(self, post: Post) -> None:
        self.post = post
        self.pk = post.pk
        self.number = post.floor
        self.is_op = post.floor == 1
        self.deleted = post.state != Post.State.VISIBLE
        self.anonymous = post.is_anonymous
        self.author: Any = None  # the author shown (a User, ``group`` loaded); None: a name
        self.group: Any = None
        self.label = floor_label(post.floor)
        self.op_badge = False
        self.author_url = ""
        self.avatar_url = ""  # the author's 120 px avatar (luntan.accounts.avatars)
        self.author_filter_url = ""
        self.group_color = ""
        self.posted: SafeString | str = ""
        self.origin = ""
        self.edit_note = ""
        self.html = mark_safe(post.html)  # noqa: S308 - stored post HTML is sanitised
        self.body_hidden = False
        self.withheld = False
        self.permalink = ""
        self.links: list[tuple[str, str, str, str]] = []  # (class, href, text, mention)
        self.notices: list[str] = []
        self.below: list[str] = []
        # Attachment rows listed under the post (not used inline), set by the attachments
        # floor extra; the mobile API sends them as the post's ``attachments``.
        self.files: list[Any] = []
        self.after: list[str] = []
        self.tools: list[str] = []
        self.actions: list[str] = []

    @property
    def visible(self) -> bool:
        """The floor shows its body (not deleted, not hidden from this viewer)."""
        return not self.deleted and not self.body_hidden


class ThreadPage:
    """One page of one thread's floors for one viewer.

    ``thread``: a :class:`~luntan.threads.models.Thread` from
    :func:`~luntan.threads.queries.get_visible_thread` (the caller has checked that the
    viewer may see it). ``viewer``: the request's
    :class:`~luntan.permissions.viewer.Viewer` (``request.viewer``; a ``User`` or
    ``AnonymousUser`` is wrapped in one); :attr:`user` is its member or ``AnonymousUser``,
    for the extras. ``rights``:
    the viewer's :class:`~luntan.permissions.posting.PostingRights` (``None`` for guests:
    no action links). ``number``: the 1-based page (the caller redirects when it is past
    :attr:`num_pages`). ``author_id``: 只看该作者. ``desc``: 倒序浏览. ``region_level``: how
    much of the 来自 place to show (``city``/``province``/``off``). ``per_page`` defaults
    to ``LUNTAN_POSTS_PER_PAGE``; ``now`` (aware) to the current time. ``request``: the
    HTTP request when there is one (extras that draw forms take its CSRF token from it).

    :meth:`load` runs the posts query and the extras; :attr:`floors` and
    :meth:`render` are then ready.
    """

    def __init__(
        self,
        thread: Thread,
        *,
        viewer: ViewerLike,
        rights=None,
        number: int = 1,
        author_id: int | None = None,
        desc: bool = False,
        region_level: str = "off",
        per_page: int | None = None,
        now: datetime | None = None,
        request=None,
    ) -> None:
        self.thread = thread
        self.request = request
        self.viewer = as_viewer(viewer)
        self.user = self.viewer.user
        self.rights = rights
        self.number = number
        self.author_id = author_id
        self.desc = desc
        self.region_level = region_level
        self.per_page = per_page or settings.LUNTAN_POSTS_PER_PAGE
        self.now = now or timezone.now()
        self.thread_url = url_maker("threads:thread")(thread.pk)
        self.floors: list[Floor] = []
        self._num_pages: int | None = None

    @property
    def moderator(self) -> bool:
        """Whether the viewer moderates the thread's board (from ``rights``; no query)."""
        return bool(self.rights is not None and self.rights.moderator)

    @property
    def num_pages(self) -> int:
        """Pages of this view for this viewer (≥ 1), counted in the floors the viewer sees
        (deleted ones only for a moderator): from the thread's
        :func:`~luntan.threads.queries.holes_of` (no query when the thread was loaded by
        :func:`~luntan.threads.queries.get_visible_thread`), or one COUNT for 只看该作者.
        After :meth:`load` found a page empty it is the exact count."""
        if self._num_pages is None:
            if self.author_id is not None:
                total = queries.count_author_posts(self.thread, self.author_id, self.moderator)
                self._num_pages = pages_for(total, self.per_page)
            else:
                self._num_pages = queries.num_pages(self.thread, self.per_page, self.moderator)
        return self._num_pages

    @property
    def posts(self) -> list[Post]:
        """The page's posts, in page order (after :meth:`load`)."""
        return [f.post for f in self.floors]

    def load(self) -> ThreadPage:
        """Read the page's posts (one query) and build and decorate its floors; returns
        ``self``. Posts awaiting review are left out; deleted ones are placeholders on
        their floor for a moderator of the board and left out for everyone else
        (pages are counted in what the viewer sees). A page past the end comes back
        empty with :attr:`num_pages` recounted exactly (the caller redirects)."""
        t, n, per_page, mod = self.thread, self.number, self.per_page, self.moderator
        if self.author_id is not None:
            posts = queries.posts_by_author(
                t, self.author_id, n, per_page, self.desc, moderator=mod
            )
        else:
            posts = queries.posts_by_floor(t, n, per_page, self.desc, moderator=mod)
            if not posts and n > 1:  # the holes said more pages than there are
                self._num_pages = pages_for(queries.count_seen(t, mod), per_page)
        return self.use_posts(posts)

    def load_post(self, post_id: int) -> ThreadPage:
        """Load the one post ``post_id`` of the thread as the page (the quick reply's new
        floor, reading mode); raises ``Post.DoesNotExist`` when it is not there or pending."""
        return self.use_posts([queries.visible_posts(self.thread).get(pk=post_id)])

    def use_posts(self, posts: Sequence[Post]) -> ThreadPage:
        """Build and decorate floors for ``posts`` (loaded with
        :func:`~luntan.threads.queries.visible_posts`); returns ``self``."""
        self.floors = [Floor(p) for p in posts]
        self._prepare()
        for extra in extras.floor_extras():
            extra.decorate(self, self.floors)
        return self

    def _prepare(self) -> None:
        """The floors' own fields: author, label, badge, time, place, links (no query)."""
        t = self.thread
        op_author = None if t.is_anonymous else t.author_id
        tz = timezone.get_current_timezone()
        now, level, rights = self.now, self.region_level, self.rights
        permalink = url_maker("threads:post")
        profile = url_maker("members:profile")
        filtering = self.author_id is not None
        viewer_pk = getattr(self.user, "pk", None)  # the author sees their 编辑记录 too
        from_place = _("来自 %(place)s")
        if rights is not None:
            reply_url = url_maker("threads:reply")(t.pk)
            edit, delete, history = (url_maker(n) for n in ("threads:edit", "threads:delete", "threads:revisions"))  # fmt: skip
            words = {k: _(v) for k, v in (("reply", "回复"), ("quote", "引用"), ("edit", "编辑"), ("delete", "删除"), ("history", "编辑记录"))}  # fmt: skip
        for f in self.floors:
            p = f.post
            f.permalink = permalink(f.pk)
            author_id = p.author_id
            if author_id and not f.anonymous:
                author = f.author = p.author
                if author is not None:
                    group = f.group = author.group
                    f.author_url = profile(author_id)
                    f.avatar_url = avatar_url(author, "middle")
                    f.group_color = safe_color(group.color)
                    if not filtering:
                        f.author_filter_url = f"?author={author_id}"
                    f.op_badge = not f.is_op and author_id == op_author
            f.posted = post_time(p.created, now, tz)
            if f.deleted:
                continue
            place = format_region(p.ip_region, level)
            if place:
                f.origin = from_place % {"place": place}
            if p.edited_at:
                f.edit_note = _("本帖最后由 %(name)s 于 %(time)s 编辑") % {
                    "name": p.edited_by_name or p.author_name,
                    "time": discuz_time(p.edited_at, tz),
                }
            if rights is None:
                continue
            links = f.links
            if rights.can_reply:
                mention = "" if f.anonymous else p.author_name
                links.append(("fl-reply", f"{reply_url}?to={f.pk}", words["reply"], mention))
                links.append(("fl-quote", f"{reply_url}?quote={f.pk}", words["quote"], ""))
            if rights.can_edit(p):
                links.append(("fl-edit", edit(f.pk), words["edit"], ""))
            if rights.can_delete(p):
                links.append(("fl-delete", delete(f.pk), words["delete"], ""))
            if p.edited_at and (rights.moderator or (viewer_pk and author_id == viewer_pk)):
                links.append(("fl-history", history(f.pk), words["history"], ""))

    def render(self) -> SafeString:
        """The floors as HTML, from the precompiled (Jinja2) template
        ``luntan/threads/jinja2/threads/_floors.html``: every dynamic value is escaped by
        the template, post HTML is sanitised when saved, extras' pieces are their own
        apps' escaped HTML."""
        context = {
            "floors": self.floors,
            "page": self,
            "read_url": url_maker("threads:read")(self.thread.pk),
        }
        template = engines["jinja2"].get_template(FLOORS_TEMPLATE)
        return mark_safe(template.render(context))  # noqa: S308 - autoescaped template
