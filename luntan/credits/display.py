"""Showing credits: extended credit names and the rating log under posts (thread page).

:func:`ratings_for_posts` costs no query when no post on the page has ratings (the page
query annotates ``has_ratings``) and one query for all of them otherwise; extended credit
names come from a cache (one query when cold).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from luntan.credits.models import ExtCredit, PostRating
from luntan.threads.page import url_maker

EXTCREDITS_CACHE_KEY = "luntan:credits:extcredits:v2"


def extcredit_names() -> dict[int, tuple[str, str, bool, bool]]:
    """``{id: (name, unit, enabled, show_in_profile)}`` for the 8 extended credits; cached
    5 minutes, cleared when one is saved (:mod:`luntan.credits.signals`)."""
    found = cache.get(EXTCREDITS_CACHE_KEY)
    if found is None:
        found = {
            e.pk: (e.name, e.unit, e.enabled, e.show_in_profile) for e in ExtCredit.objects.all()
        }
        cache.set(EXTCREDITS_CACHE_KEY, found, 300)
    return found


def credit_label(extcredit: int) -> str:
    """The credit's name (``extcredits<N>`` when it has none)."""
    name = extcredit_names().get(extcredit, ("", "", False, False))[0]
    return name or f"extcredits{extcredit}"


def ratings_for_posts(posts: Sequence) -> dict[int, SafeString]:
    """``{post id: HTML of its rating log}`` for the posts that have ratings.

    ``posts`` carry ``has_ratings`` (an EXISTS annotation); when none is true no query is
    made, else one for all of them. Each log reads like Discuz!'s 评分 box
    (``credits/_ratelog.html``): one line per rating (rater linking to their profile,
    ``威望 +2``, reason) and a 参与人数 summary. Every value is escaped by the template.
    """
    ids = [p.pk for p in posts if getattr(p, "has_ratings", False)]
    if not ids:
        return {}
    by_post: dict[int, list[PostRating]] = defaultdict(list)
    for rating in PostRating.objects.filter(post_id__in=ids).order_by("created", "pk"):
        by_post[rating.post_id].append(rating)
    template = get_template("credits/_ratelog.html")
    profile = url_maker("members:profile")
    out: dict[int, SafeString] = {}
    for pk, ratings in by_post.items():
        totals: dict[int, int] = defaultdict(int)
        lines = []
        for r in ratings:
            totals[r.extcredit] += r.score
            url = profile(r.rater_id) if r.rater_id else ""
            lines.append((url, r.rater_name, credit_label(r.extcredit), f"{r.score:+d}", r.reason))
        summary = _("参与人数 %(n)d") % {"n": len({r.rater_name for r in ratings})}
        summary += "".join(
            f" · {credit_label(ext)} {total:+d}" for ext, total in sorted(totals.items())
        )
        out[pk] = mark_safe(template.render({"summary": summary, "lines": lines}))  # noqa: S308
    return out


#: Columns to load with a member (``select_related("credit_balance")``) for
#: :func:`profile_credits`.
PROFILE_FIELDS = tuple(f"credit_balance__extcredits{i}" for i in range(1, 9))


def profile_credits(member) -> list[tuple[str, str]]:
    """``[(name, "61 枚"), …]`` for the member's enabled extended credits shown in
    profiles, from ``member.credit_balance`` (loaded with the member: no query; a member
    without a balance row shows zeros)."""
    balance = getattr(member, "credit_balance", None)
    out = []
    for pk, (name, unit, enabled, shown) in sorted(extcredit_names().items()):
        if not (enabled and shown and name):
            continue
        value = getattr(balance, f"extcredits{pk}", 0) if balance is not None else 0
        out.append((name, f"{value} {unit}".strip()))
    return out
