from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QQProviderConfig(AppConfig):
    """The QQ Connect provider as an app, so allauth's registry finds ``provider.py``."""

    name = "luntan.accounts.providers.qq"
    label = "luntan_qq"
    verbose_name = _("QQ登录")
