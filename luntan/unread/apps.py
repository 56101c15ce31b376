from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnreadConfig(AppConfig):
    """Unread tracking (未读): which threads have replies since a member last read them
    (:mod:`luntan.unread.services`). The thread page tells it what was read through the
    thread page hooks (:func:`luntan.threads.extras.register_page_hook`)."""

    name = "luntan.unread"
    label = "unread"
    verbose_name = _("未读")

    def ready(self) -> None:
        from luntan.threads.extras import register_page_hook
        from luntan.unread.hooks import record_page_read

        register_page_hook("unread", record_page_read)

        from luntan.core.periodic import register_periodic
        from luntan.unread.tasks import prune_unread_task

        register_periodic("unread.prune", prune_unread_task)  # luntan run_periodic
