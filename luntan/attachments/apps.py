from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "luntan.attachments"
    label = "attachments"
    verbose_name = "附件"
