from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """提醒: notices to members about replies to their threads, quotes, @mentions and
    replies to threads they follow, ratings, moderators' actions and private messages.
    Written from the hooks registered in :meth:`ready` (posting, moderation's approval
    and action hooks, credits' rating hook: those apps never import this one) and by
    :func:`luntan.notifications.services.notify` (``pms``)."""

    name = "luntan.notifications"
    label = "notifications"
    verbose_name = _("提醒")

    def ready(self) -> None:
        from luntan.credits.hooks import register_on_rated
        from luntan.moderation.hooks import register_on_approved, register_on_moderated
        from luntan.notifications import hooks
        from luntan.threads.posting.hooks import register_on_created

        register_on_created(hooks.on_post_created)
        register_on_approved(hooks.on_post_approved)
        register_on_rated(hooks.on_rated)
        register_on_moderated(hooks.on_moderated)

        from luntan.core.periodic import register_periodic
        from luntan.notifications.tasks import send_digests_task

        register_periodic("notifications.send_digests", send_digests_task)  # run_periodic

        from django.utils.translation import gettext_lazy

        from luntan.accounts.settings_sections import SettingsSection, register_settings_section
        from luntan.notifications.views import settings_section

        register_settings_section(
            SettingsSection("notifications", gettext_lazy("提醒设置"), settings_section)
        )
