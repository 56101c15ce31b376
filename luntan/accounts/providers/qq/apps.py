from django.apps import AppConfig


class QQProviderConfig(AppConfig):
    """The QQ Connect provider as an app, so allauth's registry finds ``provider.py``."""

    name = "luntan.accounts.providers.qq"
    label = "luntan_qq"
    verbose_name = "QQ登录"
