from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "luntan.boards"
    label = "boards"

    def ready(self) -> None:
        from luntan.boards import counters

        counters.connect_signals()
