from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "luntan.core"
    label = "core"

    def ready(self) -> None:
        from luntan.core import markup_tables

        markup_tables.connect()  # smilies and custom BBCode for luntan.markup
