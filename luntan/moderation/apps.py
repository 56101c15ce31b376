from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "luntan.moderation"
    label = "moderation"
    verbose_name = _("管理")

    def ready(self) -> None:
        from luntan.moderation import posting_hooks
        from luntan.moderation.floors import ModerationExtra
        from luntan.moderation.queries import merged_into
        from luntan.threads.extras import register_floor_extra, register_missing_thread_finder

        register_floor_extra(ModerationExtra())
        register_missing_thread_finder("merged", merged_into)  # 合并: old address → target
        posting_hooks.register()  # quote filter (屏蔽) and the log of moderators' deletes
