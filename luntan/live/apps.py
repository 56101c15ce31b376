from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """Live replies (实时回复): a member with a thread open is told of new replies through
    server-sent events (:mod:`luntan.live.broker`, :mod:`luntan.live.views`)."""

    name = "luntan.live"
    label = "live"
    verbose_name = _("实时回复")

    def ready(self) -> None:
        from luntan.live import hooks
        from luntan.threads.extras import register_page_hook
        from luntan.threads.posting.hooks import register_on_created

        register_on_created(hooks.publish_after_commit)
        register_page_hook("live", hooks.live_bar)
