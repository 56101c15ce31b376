"""RSS 2.0 and Atom feeds of the newest threads a guest may read: the whole site
(``/feed/rss/``, ``/feed/atom/``) and each board a guest may read (``/f/<id>/rss/``,
``/f/<id>/atom/``), built with :mod:`django.contrib.syndication`. Discuz!'s
``forum.php?mod=rss[&fid=N]`` 301s here (:mod:`luntan.importers.discuz.legacy_views`).

Items: the thread's subject, its address, the OP's plain text (at most 300 characters,
no ``[hide]`` content, nothing of a password post), the author (匿名 for anonymous
threads) and the thread's time.

Every text of a feed goes through :func:`luntan.core.parsing.strip_control_chars`: XML 1.0
cannot hold C0 control characters, and imported Discuz! subjects and posts may have them
(posting refuses them now), so one such thread would make the feed answer 500.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from luntan.boards.models import Board
from luntan.core.models import get_site_settings
from luntan.core.parsing import strip_control_chars
from luntan.feeds import queries
from luntan.threads.models import Post


def _clean(value):
    """``value`` without XML-illegal control characters: a string, or each string of a
    list or tuple; anything else (dates, ``None``) unchanged."""
    if isinstance(value, str):
        return strip_control_chars(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    return value


class _CleanFeedMixin(SyndicationFeed):
    """A :class:`SyndicationFeed` whose feed and item texts are cleaned with :func:`_clean`
    before they are written."""

    def __init__(self, *args, **kwargs):
        super().__init__(*[_clean(a) for a in args], **{k: _clean(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        """Add an item, its texts cleaned (:func:`_clean`)."""
        super().add_item(*[_clean(a) for a in args], **{k: _clean(v) for k, v in kwargs.items()})


class CleanRss201rev2Feed(_CleanFeedMixin, Rss201rev2Feed):
    """RSS 2.0 without XML-illegal control characters."""


class CleanAtom1Feed(_CleanFeedMixin, Atom1Feed):
    """Atom 1.0 without XML-illegal control characters."""


class SiteFeed(Feed):
    """The newest threads of every board a guest may read (RSS 2.0)."""

    feed_type: type[SyndicationFeed] = CleanRss201rev2Feed

    def title(self, obj=None) -> str:
        """The site name (SiteSettings)."""
        return get_site_settings().site_name

    def link(self, obj=None) -> str:
        """The board index."""
        return reverse("boards:index")

    def description(self, obj=None) -> str:
        """最新主题 of the site."""
        return _("%(site)s 的最新主题") % {"site": get_site_settings().site_name}

    def feed_url(self, obj=None) -> str:
        """This feed's own address."""
        return reverse("feeds:site_rss")

    def items(self, obj=None) -> list[Post]:
        """The newest :data:`~luntan.feeds.queries.FEED_ITEMS` opening posts a guest may read."""
        return list(queries.guest_op_posts()[: queries.FEED_ITEMS])

    def item_title(self, item: Post) -> str:
        return item.thread.subject

    def item_link(self, item: Post) -> str:
        return item.thread.get_absolute_url()

    def item_description(self, item: Post) -> str:
        return queries.description(item)

    def item_pubdate(self, item: Post):
        return item.thread.created

    def item_updateddate(self, item: Post):
        return item.thread.last_post_at

    def item_author_name(self, item: Post) -> str:
        return _("匿名") if item.thread.is_anonymous else item.thread.author_name

    def item_categories(self, item: Post) -> tuple[str, ...]:
        return (item.thread.board.name,)


class SiteAtomFeed(SiteFeed):
    """:class:`SiteFeed` as Atom 1.0."""

    feed_type = CleanAtom1Feed

    def subtitle(self, obj=None) -> str:
        return self.description(obj)

    def feed_url(self, obj=None) -> str:
        return reverse("feeds:site_atom")


class BoardFeed(SiteFeed):
    """The newest threads of one board a guest may read (RSS 2.0); 404 for a board a
    guest may not read (hidden, restricted, password), a category or a link."""

    def get_object(self, request, pk: str) -> Board:  # type: ignore[override]
        try:
            board = Board.objects.select_related("parent__parent").get(pk=int(pk))
        except Board.DoesNotExist:
            raise Http404 from None
        if not queries.guest_can_read_board(board):
            raise Http404
        return board

    def title(self, obj=None) -> str:
        return f"{obj.name} - {get_site_settings().site_name}" if obj else super().title()

    def link(self, obj=None) -> str:
        return obj.get_absolute_url() if obj else super().link()

    def description(self, obj=None) -> str:
        if obj is None:
            return super().description()
        return obj.description or _("%(board)s 的最新主题") % {"board": obj.name}

    def feed_url(self, obj=None) -> str:
        return reverse("feeds:board_rss", kwargs={"pk": obj.pk}) if obj else super().feed_url()

    def items(self, obj=None) -> list[Post]:
        return list(queries.guest_op_posts(obj)[: queries.FEED_ITEMS])


class BoardAtomFeed(BoardFeed):
    """:class:`BoardFeed` as Atom 1.0."""

    feed_type = CleanAtom1Feed

    def subtitle(self, obj=None) -> str:
        return self.description(obj)

    def feed_url(self, obj=None) -> str:
        return reverse("feeds:board_atom", kwargs={"pk": obj.pk}) if obj else super().feed_url()
