"""The QQ Connect provider: account display and how a QQ user becomes a social account."""

from __future__ import annotations

from allauth.socialaccount.providers.base import ProviderAccount, ProviderException
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from luntan.accounts.providers.qq.views import QQOAuth2Adapter


class QQAccount(ProviderAccount):
    """A linked QQ account; ``extra_data`` is QQ's ``get_user_info`` answer plus ``openid``
    (``nickname``, ``gender``, ``figureurl_qq_1`` 40×40, ``figureurl_qq_2`` 100×100 …)."""

    def get_avatar_url(self) -> str | None:
        data = self.account.extra_data
        return data.get("figureurl_qq_2") or data.get("figureurl_qq_1") or None

    def to_str(self) -> str:
        return self.account.extra_data.get("nickname") or super().to_str()


class QQProvider(OAuth2Provider):
    """``id = "qq"``; the uid is the user's ``openid`` for this APP ID."""

    id = "qq"
    name = "QQ"
    account_class = QQAccount
    oauth2_adapter_class = QQOAuth2Adapter

    def get_default_scope(self) -> list[str]:
        return ["get_user_info"]

    def extract_uid(self, data: dict) -> str:
        uid = data.get("openid")
        if not uid:
            raise ProviderException("QQ: missing 'openid'")
        return str(uid)

    def extract_common_fields(self, data: dict) -> dict:
        # QQ shares no e-mail address; the nickname is offered as the user name.
        return {"username": (data.get("nickname") or "").strip()}


provider_classes = [QQProvider]
