from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "luntan.credits"
    label = "credits"
    verbose_name = "积分"

    def ready(self) -> None:
        from luntan.credits import signals  # noqa: F401 - connects the daily-login award
