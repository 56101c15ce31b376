from django.apps import AppConfig


class ThreadsConfig(AppConfig):
    name = "luntan.threads"
    label = "threads"

    def ready(self) -> None:
        from luntan.threads.extras import register_floor_extra
        from luntan.threads.hidden_content import HiddenContentExtra

        register_floor_extra(HiddenContentExtra())  # [hide] and [password] (密码帖)
