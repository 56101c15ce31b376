from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CensorConfig(AppConfig):
    name = "luntan.censor"
    label = "censor"
    verbose_name = _("词语过滤")

    def ready(self) -> None:
        from luntan.accounts import screening
        from luntan.censor import (
            posting_hooks,
            services,  # noqa: F401 - connects the cache invalidation
        )

        posting_hooks.register()  # the word list screens every post and edit
        screening.register_name_check(services.check_username)  # member names
        screening.register_signature_screen(services.screen_signature)
