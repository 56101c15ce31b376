from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    """RSS/Atom feeds, sitemap.xml and robots.txt: what a guest may read, for readers
    and search engines."""

    name = "luntan.feeds"
    label = "feeds"
    verbose_name = _("订阅源")
