from django.apps import AppConfig


class BansConfig(AppConfig):
    name = "luntan.bans"
    label = "bans"
    verbose_name = "小黑屋"

    def ready(self) -> None:
        from luntan.bans import ipbans  # noqa: F401 - connects the cache invalidation
        from luntan.bans.services import ban_details
        from luntan.permissions import (
            groups,  # noqa: F401 - the group rights' invalidation
            posting,
        )

        if ban_details not in posting.BAN_DETAILS:
            posting.BAN_DETAILS.append(ban_details)
