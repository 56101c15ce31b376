from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "luntan.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from luntan.webhooks import events

        events.register()
