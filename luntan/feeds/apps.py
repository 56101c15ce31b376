from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """RSS/Atom feeds, sitemap.xml and robots.txt: what a guest may read, for readers
    and search engines."""

    name = "luntan.feeds"
    label = "feeds"
    verbose_name = "订阅源"
