"""Signal receivers of the credits app.

- ``user_logged_in`` → :func:`~luntan.credits.services.award` ``daylogin`` (每天登录; the
  rule's 每天 cycle makes it once per site-time-zone day). Discuz! awards it on the first
  visit of the day; luntan on the first log-in of the day, which costs pages nothing.
- a saved or deleted usergroup or extended credit clears the caches the services and
  the rating display read.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from luntan.accounts.models import UserGroup
from luntan.credits.display import EXTCREDITS_CACHE_KEY
from luntan.credits.models import BoardCreditRule, CreditRule, ExtCredit, RatePermission
from luntan.credits.rating import RATING_GROUPS_CACHE_KEY
from luntan.credits.services import MEMBER_GROUPS_CACHE_KEY, RULES_CACHE_KEY, award


@receiver(user_logged_in, dispatch_uid="luntan.credits.daylogin")
def award_daily_login(sender, request, user, **kwargs) -> None:

    award(user, "daylogin")


@receiver(post_save, sender=UserGroup, dispatch_uid="luntan.credits.groups.save")
@receiver(post_delete, sender=UserGroup, dispatch_uid="luntan.credits.groups.delete")
def clear_member_groups(sender, **kwargs) -> None:

    cache.delete(MEMBER_GROUPS_CACHE_KEY)


@receiver(post_save, sender=ExtCredit, dispatch_uid="luntan.credits.ext.save")
@receiver(post_delete, sender=ExtCredit, dispatch_uid="luntan.credits.ext.delete")
def clear_extcredits(sender, **kwargs) -> None:

    cache.delete(EXTCREDITS_CACHE_KEY)
    cache.delete(RATING_GROUPS_CACHE_KEY)


@receiver(post_save, sender=RatePermission, dispatch_uid="luntan.credits.rate.save")
@receiver(post_delete, sender=RatePermission, dispatch_uid="luntan.credits.rate.delete")
def clear_rating_groups(sender, **kwargs) -> None:

    cache.delete(RATING_GROUPS_CACHE_KEY)


@receiver(post_save, sender=CreditRule, dispatch_uid="luntan.credits.rule.save")
@receiver(post_delete, sender=CreditRule, dispatch_uid="luntan.credits.rule.delete")
@receiver(post_save, sender=BoardCreditRule, dispatch_uid="luntan.credits.brule.save")
@receiver(post_delete, sender=BoardCreditRule, dispatch_uid="luntan.credits.brule.delete")
def clear_rules(sender, **kwargs) -> None:

    cache.delete(RULES_CACHE_KEY)
