"""The registry through which other apps add per-floor extras to the thread page.

The thread page (:class:`luntan.threads.page.ThreadPage`) knows floors: author, label,
time, body, the 回复/引用/编辑/删除 links. Everything else on a floor belongs to another
app — attachments (附件 box, inline ``[attach]``), ratings (评分 log and link),
moderation (屏蔽/警告 notices, the moderator's 选择 checkbox, 举报), and later polls,
signatures, reactions — and plugs in here from its ``AppConfig.ready()``::

    from luntan.threads.extras import FloorExtra, register_floor_extra

    class Ratings(FloorExtra):
        name = "ratings"

        def annotations(self):
            return {"has_ratings": Exists(PostRating.objects.filter(post=OuterRef("pk")))}

        def decorate(self, page, floors):
            ...  # at most one query for the whole page, then floor.after.append(html)

    register_floor_extra(Ratings())

``threads`` imports none of those apps: it calls the registered extras in ``order``.
Each extra sees the whole page's floors at once (batch loading: a page costs an extra at
most one query, and none when the posts query's annotations say there is nothing to
load). Extras are the same for every request; they must not keep per-request state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from luntan.threads.page import Floor, ThreadPage


class FloorExtra:
    """One app's contribution to the floors of a thread page; subclass and override.

    ``name`` identifies the extra (unique; registering a second extra of the same name
    replaces the first, so a reloaded app does not add it twice). ``order`` sorts the
    extras (lower first): an extra that hides a floor's body (屏蔽, order 10) runs before
    one that decorates the body (attachments, 50).
    """

    name: str = ""
    order: int = 100

    def annotations(self) -> dict[str, Any]:
        """Annotations (``{name: expression}``) added to the page's one posts query, e.g.
        an ``Exists`` that lets :meth:`decorate` skip its query when no post has
        anything. Default: none."""
        return {}

    def decorate(self, page: ThreadPage, floors: Sequence[Floor]) -> None:
        """Add this extra's pieces to ``floors`` (every floor of ``page``, in page order).

        Pieces are HTML strings marked safe by the extra (its own template or
        ``format_html``), appended to a floor's slots: ``notices`` (above the body),
        ``below`` (under the body, inside the post), ``after`` (after the post),
        ``tools`` (after the floor's 只看该作者 links), ``actions`` (with 回复 · 引用 …).
        The extra may also replace ``floor.html`` (the post's sanitised HTML) and set
        ``floor.body_hidden`` / ``floor.withheld``. At most one query for all floors.
        """


_extras: dict[str, FloorExtra] = {}
_ordered: tuple[FloorExtra, ...] = ()
_version = 0  # bumped by every (un)registration: precompiled queries key on it


def register_floor_extra(extra: FloorExtra) -> None:
    """Add ``extra`` to every thread page (call from ``AppConfig.ready()``).

    Raises ``ValueError`` when ``extra.name`` is empty.
    """
    global _ordered, _version
    if not extra.name:
        raise ValueError("a floor extra needs a name")
    _extras[extra.name] = extra
    _ordered = tuple(sorted(_extras.values(), key=lambda e: (e.order, e.name)))
    _version += 1


def unregister_floor_extra(name: str) -> None:
    """Remove the extra called ``name`` (tests); unknown names are ignored."""
    global _ordered, _version
    _extras.pop(name, None)
    _ordered = tuple(sorted(_extras.values(), key=lambda e: (e.order, e.name)))
    _version += 1


def floor_extras() -> tuple[FloorExtra, ...]:
    """The registered extras, in the order they decorate a page."""
    return _ordered


def extras_version() -> int:
    """A number that changes whenever an extra is registered or removed: part of the key
    of queries compiled once with :func:`post_annotations` in them."""
    return _version


def post_annotations() -> dict[str, Any]:
    """All extras' annotations for the posts query, merged (later names win)."""
    merged: dict[str, Any] = {}
    for extra in _ordered:
        merged.update(extra.annotations())
    return merged


_missing_thread_finders: dict[str, Callable[[int], int | None]] = {}


def register_missing_thread_finder(name: str, finder: Callable[[int], int | None]) -> None:
    """Let ``finder(thread_id) -> thread id or None`` say where a thread that is gone
    now lives (e.g. moderation's 合并: the thread it was merged into). The thread page
    asks the finders in registration order when a thread is not found and redirects
    (301) to the first answer. Register from ``AppConfig.ready()``."""
    _missing_thread_finders[name] = finder


def find_missing_thread(thread_id: int) -> int | None:
    """The id of the thread that ``thread_id`` became, from the registered finders
    (each may cost a query), or ``None``."""
    for finder in _missing_thread_finders.values():
        found = finder(thread_id)
        if found is not None:
            return found
    return None


#: ``hook(request, page) -> str``: called once per full thread page (a GET that shows
#: floors) after :meth:`ThreadPage.load`; returns safe HTML placed after the floors
#: (``""`` for nothing). ``page`` is the loaded :class:`ThreadPage` (``thread``,
#: ``floors``, ``number``, ``num_pages``, ``author_id``, ``desc``).
PageHook = Callable[[Any, "ThreadPage"], str]

_page_hooks: dict[str, PageHook] = {}


def register_page_hook(name: str, hook: PageHook) -> None:
    """Let ``hook`` see every thread page a viewer is shown and add HTML after its floors
    (unread tracking records what was read; live replies add their bar). Hooks run in
    registration order; registering a name again replaces its hook. Register from
    ``AppConfig.ready()``. A hook must be cheap (it runs on every page view): at most one
    indexed query, a write only when something changed, nothing for a guest."""
    _page_hooks[name] = hook


def page_hooks() -> tuple[PageHook, ...]:
    """The registered thread page hooks, in registration order."""
    return tuple(_page_hooks.values())
