from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FavoritesConfig(AppConfig):
    """Favourites and follows (收藏 / 订阅) of threads and boards; the 收藏 link on the
    OP floor comes through the thread page's floor extras (see :meth:`ready`)."""

    name = "luntan.favorites"
    label = "favorites"
    verbose_name = _("收藏")

    def ready(self) -> None:
        from luntan.favorites.floors import FavoriteLinkExtra
        from luntan.threads.extras import register_floor_extra

        register_floor_extra(FavoriteLinkExtra())
