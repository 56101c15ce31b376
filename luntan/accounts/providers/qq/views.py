"""The QQ Connect OAuth 2.0 flow (QQ互联 "网站应用", documented at wiki.connect.qq.com).

1. authorize: ``https://graph.qq.com/oauth2.0/authorize?response_type=code&client_id=…
   &redirect_uri=…&state=…&scope=get_user_info``;
2. token: ``GET https://graph.qq.com/oauth2.0/token?grant_type=authorization_code&code=…
   &client_id=…&client_secret=…&redirect_uri=…&fmt=json`` → ``{"access_token": …,
   "expires_in": "7776000", "refresh_token": …}`` or ``{"error": 100019,
   "error_description": …}`` (without ``fmt=json`` QQ answers a query string);
3. openid: ``GET https://graph.qq.com/oauth2.0/me?access_token=…&fmt=json`` →
   ``{"client_id": "<APP ID>", "openid": "<32 hex>"}``; the client id must be ours;
4. user info: ``GET https://graph.qq.com/user/get_user_info?access_token=…
   &oauth_consumer_key=<APP ID>&openid=…`` → ``{"ret": 0, "nickname": …, …}``; ``ret``
   other than 0 is an error (``msg`` says which).

Every failure raises ``OAuth2Error``/``ProviderException``, which allauth shows as its
authentication error page.
"""

from __future__ import annotations

from http import HTTPStatus

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)

AUTHORIZE_URL = "https://graph.qq.com/oauth2.0/authorize"
TOKEN_URL = "https://graph.qq.com/oauth2.0/token"  # noqa: S105 - a URL, not a secret
OPENID_URL = "https://graph.qq.com/oauth2.0/me"
USER_INFO_URL = "https://graph.qq.com/user/get_user_info"
TIMEOUT = 10  # seconds for each call to graph.qq.com


def _json(resp, what: str) -> dict:
    if resp.status_code != HTTPStatus.OK:
        raise OAuth2Error(f"QQ {what}: HTTP {resp.status_code}")
    try:
        data = resp.json()
    except ValueError as exc:
        raise OAuth2Error(f"QQ {what}: not JSON: {resp.text[:200]!r}") from exc
    if not isinstance(data, dict):
        raise OAuth2Error(f"QQ {what}: unexpected answer {data!r}")
    if "error" in data:
        raise OAuth2Error(f"QQ {what}: {data.get('error')} {data.get('error_description', '')}")
    return data


class QQOAuth2Client(OAuth2Client):
    """QQ's token endpoint takes GET parameters and answers JSON only with ``fmt=json``."""

    def get_access_token(self, code, pkce_code_verifier=None, extra_data=None) -> dict:
        params = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": self.consumer_key,
            "client_secret": self.consumer_secret,
            "redirect_uri": self.callback_url,
            "fmt": "json",
        }
        with get_adapter().get_requests_session() as sess:
            resp = sess.get(self.access_token_url, params=params, timeout=TIMEOUT)
        data = _json(resp, "token")
        if "access_token" not in data:
            raise OAuth2Error("QQ token: no access_token in the answer")
        return data


class QQOAuth2Adapter(OAuth2Adapter):
    """allauth adapter for QQ: after the token, ask for the openid, then the profile."""

    provider_id = "qq"
    authorize_url = AUTHORIZE_URL
    access_token_url = TOKEN_URL
    access_token_method = "GET"  # noqa: S105
    client_class = QQOAuth2Client

    def complete_login(self, request, app, token, **kwargs):
        with get_adapter().get_requests_session() as sess:
            me = _json(
                sess.get(
                    OPENID_URL, params={"access_token": token.token, "fmt": "json"}, timeout=TIMEOUT
                ),
                "openid",
            )
            openid = me.get("openid")
            if not openid:
                raise ProviderException("QQ openid: no openid in the answer")
            if str(me.get("client_id", app.client_id)) != str(app.client_id):
                raise ProviderException("QQ openid: the token belongs to another app")
            info = _json(
                sess.get(
                    USER_INFO_URL,
                    params={
                        "access_token": token.token,
                        "oauth_consumer_key": app.client_id,
                        "openid": openid,
                    },
                    timeout=TIMEOUT,
                ),
                "get_user_info",
            )
        if int(info.get("ret", -1)) != 0:
            raise ProviderException(f"QQ get_user_info: {info.get('ret')} {info.get('msg', '')}")
        extra_data = {**info, "openid": openid}
        return self.get_provider().sociallogin_from_response(request, extra_data)


oauth2_login = OAuth2LoginView.adapter_view(QQOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(QQOAuth2Adapter)
