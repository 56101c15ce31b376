from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineConfig(AppConfig):
    """在线会员: who was active lately (kept in the cache by
    :class:`luntan.online.middleware.OnlineMiddleware`) and the 最高记录."""

    name = "luntan.online"
    label = "online"
    verbose_name = _("在线会员")
