from django.apps import AppConfig


class OnlineConfig(AppConfig):
    """在线会员: who was active lately (kept in the cache by
    :class:`luntan.online.middleware.OnlineMiddleware`) and the 最高记录."""

    name = "luntan.online"
    label = "online"
    verbose_name = "在线会员"
