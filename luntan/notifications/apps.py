from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """提醒: notices to members about replies to their threads, quotes, @mentions and
    replies to threads they follow. Written from the posting hooks and moderation's
    approval hook registered in :meth:`ready` (``threads`` and ``moderation`` never import
    this app)."""

    name = "luntan.notifications"
    label = "notifications"
    verbose_name = _("提醒")

    def ready(self) -> None:
        from luntan.moderation.hooks import register_on_approved
        from luntan.notifications import hooks
        from luntan.threads.posting.hooks import register_on_created

        register_on_created(hooks.on_post_created)
        register_on_approved(hooks.on_post_approved)
