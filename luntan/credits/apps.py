from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "luntan.credits"
    label = "credits"
    verbose_name = _("积分")

    def ready(self) -> None:
        from luntan.credits import (
            posting_hooks,
            signals,  # noqa: F401 - connects the daily-login award
        )
        from luntan.credits.floors import RatingsExtra
        from luntan.credits.rating import rating_groups
        from luntan.permissions.registry import register
        from luntan.threads.extras import register_floor_extra

        register_floor_extra(RatingsExtra())
        posting_hooks.register()  # 发帖/回复 rewards and their revoke
        from luntan.credits.rebuild import rebuild_member_totals
        from luntan.threads.counters import register_member_rebuild

        register_member_rebuild(rebuild_member_totals)  # totals follow recounted posts
        register(rating_groups=rating_groups)  # who may rate (luntan.permissions.may_rate)
