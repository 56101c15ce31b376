"""The 收藏 link beside 回复 · 引用 on the OP floor, for signed-in viewers (a floor
extra registered in :meth:`luntan.favorites.apps.FavoritesConfig.ready`). No query: the
link leads to the thread's 收藏/订阅 page, which shows the state and the buttons."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.translation import gettext as _

from luntan.threads.extras import FloorExtra
from luntan.threads.page import Floor, ThreadPage, url_maker


class FavoriteLinkExtra(FloorExtra):
    """收藏 on the OP floor."""

    name = "favorites"
    order = 70

    def decorate(self, page: ThreadPage, floors: Sequence[Floor]) -> None:
        """Add the 收藏 link to the (not deleted) OP floor's actions, members only."""
        if not page.user.is_authenticated:
            return
        url = url_maker("favorites:thread")(page.thread.pk)
        for f in floors:
            if f.post.floor == 1 and not f.deleted:
                f.actions.append(format_html('<a class="fl-fav" href="{}">{}</a>', url, _("收藏")))
