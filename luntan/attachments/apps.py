from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "luntan.attachments"
    label = "attachments"
    verbose_name = _("附件")

    def ready(self) -> None:
        from luntan.attachments import forms
        from luntan.attachments.floors import AttachmentsExtra
        from luntan.threads.extras import register_floor_extra

        register_floor_extra(AttachmentsExtra())
        forms.register()  # the posting forms' file fields and the pipeline's binder

        from luntan.attachments.messages import PROVIDER
        from luntan.threads.posting.hooks import register_message_attachments

        register_message_attachments(PROVIDER)  # private messages' attachments
