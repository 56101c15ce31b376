"""Ratings (评分) on thread-page floors (a floor extra, registered in
:class:`luntan.credits.apps.CreditsConfig.ready`): the rating log after the post and the
评分 link beside 回复 · 引用.

One query for the whole page's logs, none when no post on it was rated (the posts query
carries ``has_ratings``); the 评分 link costs no query once the rating groups are cached.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Exists, OuterRef
from django.utils.html import format_html
from django.utils.translation import gettext as _

from luntan.credits.display import ratings_for_posts
from luntan.credits.models import PostRating
from luntan.credits.rating import may_rate, rating_groups
from luntan.threads.extras import FloorExtra
from luntan.threads.page import Floor, ThreadPage, url_maker


class RatingsExtra(FloorExtra):
    """The 评分 log and link of each floor."""

    name = "ratings"
    order = 60

    def annotations(self) -> dict:
        """``has_ratings``: an EXISTS that lets a page without ratings skip the query."""
        return {"has_ratings": Exists(PostRating.objects.filter(post=OuterRef("pk")))}

    def decorate(self, page: ThreadPage, floors: Sequence[Floor]) -> None:
        """Add the rating logs to ``floor.after`` and, for signed-in viewers who may
        rate, the 评分 link to ``floor.actions`` (not on deleted floors)."""
        shown = [f for f in floors if not f.deleted]
        logs = ratings_for_posts([f.post for f in shown])
        rate = None
        if page.rights is not None and page.user.is_authenticated:
            rate, text = url_maker("credits:rate"), _("评分")
            groups = rating_groups()  # once for the page, not once per floor
        for f in shown:
            log = logs.get(f.pk)
            if log:
                f.after.append(log)
            if rate is not None and may_rate(page.user, f.post, groups):
                f.actions.append(
                    format_html('<a class="fl-rate" href="{}">{}</a>', rate(f.pk), text)
                )
