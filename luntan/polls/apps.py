from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    """Polls (投票): plugs into the posting pipeline, the posting forms and the thread
    page from :meth:`ready`; ``threads`` imports nothing of this app."""

    name = "luntan.polls"
    label = "polls"
    verbose_name = _("投票")

    def ready(self) -> None:
        from luntan.polls import forms, posting_hooks
        from luntan.polls.floors import PollExtra
        from luntan.threads.extras import register_floor_extra
        from luntan.threads.forms import register_form_extension
        from luntan.threads.posting.hooks import register_on_written

        register_form_extension(forms.EXTENSION)
        register_on_written(posting_hooks.poll_on_written)
        register_floor_extra(PollExtra())
