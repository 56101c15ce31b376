from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BansConfig(AppConfig):
    name = "luntan.bans"
    label = "bans"
    verbose_name = _("小黑屋")

    def ready(self) -> None:
        from luntan.bans import ipbans  # noqa: F401 - connects the cache invalidation
        from luntan.bans.ipbans import is_ip_banned
        from luntan.bans.services import active_ban, ban_details
        from luntan.permissions import groups  # noqa: F401 - the group rights' invalidation
        from luntan.permissions.registry import register

        register(active_ban=active_ban, ban_details=ban_details, ip_banned=is_ip_banned)
