"""Rating a post (评分): Discuz! X3.4 ``forum.php?mod=misc&action=rate``.

A member whose usergroup has a :class:`~luntan.credits.models.RatePermission` for an
extended credit gives a post's author ``score`` points of it (within the group's
``[min_score, max_score]``, not 0) with a reason; the points the rater gives in one
site-time-zone day (sum of absolute scores, per credit) stay within ``daily_limit``.
One rating per post, rater and credit; nobody rates their own or an anonymous post.
The author's balance moves through the ledger (action ``rate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Abs
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan import permissions
from luntan.accounts.models import User
from luntan.credits import hooks, services
from luntan.credits.models import ExtCredit, PostRating, RatePermission

REASON_MAX_LENGTH = 40


@dataclass(frozen=True)
class RateRange:
    """What ``user`` may still give of one credit today: ``min``..``max`` per rating and
    ``left`` points (absolute) until the daily limit."""

    extcredit: ExtCredit
    min: int
    max: int
    left: int


RATING_GROUPS_CACHE_KEY = "luntan:credits:rating-groups:v1"


def rating_groups() -> frozenset[int]:
    """Ids of the usergroups with any rating range on an enabled credit; cached 60 s and
    cleared when a range is saved or deleted (:mod:`luntan.credits.signals`)."""
    found = cache.get(RATING_GROUPS_CACHE_KEY)
    if found is None:
        found = frozenset(
            RatePermission.objects.filter(extcredit__enabled=True).values_list(
                "group_id", flat=True
            )
        )
        cache.set(RATING_GROUPS_CACHE_KEY, found, 60)
    return found


def may_rate(viewer, post, groups: frozenset[int] | None = None) -> bool:
    """Whether to offer the viewer the 评分 link under ``post``: the rule lives in
    :func:`luntan.permissions.may_rate` (kept here for callers of this module);
    ``groups``: :func:`rating_groups` when the caller already has them."""
    return permissions.may_rate(viewer, post, groups)


def rate_ranges(user, now: datetime | None = None) -> list[RateRange]:
    """The credits ``user`` may rate with (enabled ones their group has a range for), with
    today's points left. Empty for guests and groups that cannot rate. Two queries."""
    if user is None or not user.is_authenticated:
        return []
    now = now or timezone.now()
    perms = list(
        RatePermission.objects.filter(group_id=user.group_id, extcredit__enabled=True)
        .select_related("extcredit")
        .order_by("extcredit_id")
    )
    if not perms:
        return []
    used = dict(
        PostRating.objects.filter(rater=user, created__gte=services.site_day_start(now))
        .values("extcredit")
        .annotate(n=Sum(Abs("score")))
        .values_list("extcredit", "n")
    )
    return [
        RateRange(
            p.extcredit,
            p.min_score,
            p.max_score,
            max(0, p.daily_limit - used.get(p.extcredit_id, 0)),
        )
        for p in perms
    ]


def check_rate_post(viewer, post) -> None:
    """Raise ``PermissionDenied`` unless the viewer may rate ``post``: the rule lives in
    :func:`luntan.permissions.check_rate_post` (kept here for callers of this module)."""
    permissions.check_rate_post(viewer, post)


def rate_post(
    *,
    rater: User,
    post,
    extcredit: int,
    score: int,
    reason: str,
    now: datetime | None = None,
    viewer=None,
) -> PostRating:
    """Rate ``post`` as ``rater``: ``score`` points of extcredit ``extcredit`` (1–8) to its
    author, with ``reason`` (1–40 characters after trimming).

    Returns the :class:`PostRating`. Raises ``PermissionDenied`` (see
    :func:`check_rate_post`) and ``ValidationError`` with a code: ``score`` (0 or outside
    the group's range), ``extcredit`` (a credit the group may not rate with), ``reason``
    (empty or too long), ``daily`` (today's points would pass the group's limit),
    ``again`` (already rated this post with this credit). The daily sum is read under a
    lock on the rater's row, so concurrent ratings cannot pass the limit. ``viewer``: the
    request's :class:`~luntan.permissions.viewer.Viewer` for ``rater`` (boards unlocked
    by password are known through it); ``None`` checks ``rater`` alone.
    """
    check_rate_post(viewer if viewer is not None else rater, post)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("请填写评分理由。"), code="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("评分理由不能超过 %(n)d 个字符。") % {"n": REASON_MAX_LENGTH}, code="reason"
        )
    now = now or timezone.now()
    perm = (
        RatePermission.objects.filter(
            group_id=rater.group_id, extcredit_id=extcredit, extcredit__enabled=True
        )
        .select_related("extcredit")
        .first()
    )
    if perm is None:
        raise ValidationError(_("您不能使用这种积分评分。"), code="extcredit")
    name = perm.extcredit.name
    if score == 0 or not perm.min_score <= score <= perm.max_score:
        raise ValidationError(
            _("评分必须在 %(lo)d 到 %(hi)d 之间，且不能为 0。")
            % {"lo": perm.min_score, "hi": perm.max_score},
            code="score",
        )
    try:
        with transaction.atomic():
            # lock both members in id order (the rater for the daily sum, the author's
            # balance in apply_change), so two members rating each other cannot deadlock
            list(
                User.objects.select_for_update()
                .filter(pk__in={rater.pk, post.author_id})
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if PostRating.objects.filter(post=post, rater=rater, extcredit=extcredit).exists():
                raise ValidationError(_("您已经对该帖评过分了。"), code="again")
            used = (
                PostRating.objects.filter(
                    rater=rater, extcredit=extcredit, created__gte=services.site_day_start(now)
                ).aggregate(n=Sum(Abs("score")))["n"]
                or 0
            )
            if used + abs(score) > perm.daily_limit:
                raise ValidationError(
                    _("今日%(name)s评分已达上限：还可以评 %(left)d 分。")
                    % {"name": name, "left": max(0, perm.daily_limit - used)},
                    code="daily",
                )
            rating = PostRating.objects.create(
                post=post,
                rater=rater,
                rater_name=rater.username,
                extcredit=extcredit,
                score=score,
                reason=reason,
                created=now,
            )
            services.apply_change(
                post.author_id, {extcredit: score}, "rate", reason=reason, related=post, now=now
            )
            hooks.post_rated(rating, name)  # e.g. the author's notice (luntan.notifications)
    except IntegrityError:
        raise ValidationError(_("您已经对该帖评过分了。"), code="again") from None
    return rating
