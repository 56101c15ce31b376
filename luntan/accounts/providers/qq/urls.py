"""``/accounts/qq/login/`` and ``/accounts/qq/login/callback/`` (names ``qq_login``,
``qq_callback``)."""

from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from luntan.accounts.providers.qq.provider import QQProvider

urlpatterns = default_urlpatterns(QQProvider)
