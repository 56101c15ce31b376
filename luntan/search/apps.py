from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "luntan.search"
    label = "search"

    def ready(self) -> None:
        from luntan.search import posting_hooks

        posting_hooks.register()  # the posting pipeline's indexer
