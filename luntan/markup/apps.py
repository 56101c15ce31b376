from django.apps import AppConfig


class MarkupConfig(AppConfig):
    name = "luntan.markup"
    label = "markup"

    def ready(self) -> None:
        from luntan.markup.floors import HiddenContentExtra
        from luntan.threads.extras import register_floor_extra

        register_floor_extra(HiddenContentExtra())
