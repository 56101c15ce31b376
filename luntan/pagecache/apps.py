from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Guest pages from the shared cache (:mod:`luntan.pagecache.cache`)."""

    name = "luntan.pagecache"
    label = "pagecache"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from luntan.pagecache import generation

        connection_created.connect(generation.watch_connection, dispatch_uid="pagecache-watch")
        generation.watch_open_connections()
