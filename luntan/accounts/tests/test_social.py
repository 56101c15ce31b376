"""Third-party login: the QQ Connect provider (HTTP mocked; no request leaves the test),
the QQ登录 button, and no connecting to an existing account without its password."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp

from luntan.accounts.models import User, UserGroup
from luntan.accounts.tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

OPENID = "0123456789ABCDEF0123456789ABCDEF"


class FakeResponse:
    def __init__(self, data, status=200):
        import json

        self.status_code = status
        self.text = json.dumps(data, ensure_ascii=False)
        self.headers = {"content-type": "application/json"}
        self._data = data

    def json(self):
        return self._data

    def raise_for_status(self):
        return None


@pytest.fixture
def qq_app():
    return SocialApp.objects.create(
        provider="qq", name="QQ互联", client_id="101234", secret="s3cr3t"
    )


@pytest.fixture
def graph_qq(monkeypatch):
    """Answer graph.qq.com's three endpoints; any other host fails the test."""
    calls: list[tuple[str, dict]] = []
    answers = {
        "https://graph.qq.com/oauth2.0/token": {
            "access_token": "TOKEN123",
            "expires_in": "7776000",
            "refresh_token": "REFRESH",
        },
        "https://graph.qq.com/oauth2.0/me": {"client_id": "101234", "openid": OPENID},
        "https://graph.qq.com/user/get_user_info": {
            "ret": 0,
            "msg": "",
            "nickname": "QQ网友",
            "gender": "男",
            "figureurl_qq_1": "http://thirdqq.qlogo.cn/40",
            "figureurl_qq_2": "http://thirdqq.qlogo.cn/100",
        },
    }

    def fake_request(self, method, url, params=None, **kwargs):
        calls.append((url, dict(params or {})))
        if url not in answers:
            raise AssertionError(f"unexpected HTTP request to {url}")
        return FakeResponse(answers[url])

    import requests

    monkeypatch.setattr(requests.Session, "request", fake_request)
    return calls, answers


def _start_qq_login(client, process: str = "login") -> str:
    """POST the QQ login button; return the state QQ would send back."""
    response = client.post("/accounts/qq/login/", {"process": process})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        "https://graph.qq.com/oauth2.0/authorize"
    )
    query = parse_qs(location.query)
    assert query["client_id"] == ["101234"] and query["response_type"] == ["code"]
    assert query["scope"] == ["get_user_info"]
    assert query["redirect_uri"] == ["http://testserver/accounts/qq/login/callback/"]
    return query["state"][0]


def test_qq_button_only_when_a_qq_app_is_configured(client, site_mode):
    site_mode("none")
    assert "QQ登录" not in client.get("/accounts/login/").content.decode()
    SocialApp.objects.create(provider="qq", name="QQ互联", client_id="1", secret="s")
    page = client.get("/accounts/login/").content.decode()
    assert "QQ登录" in page and 'action="/accounts/qq/login/' in page


def test_qq_login_creates_a_member_through_the_signup_form(client, site_mode, qq_app, graph_qq):
    site_mode("none")
    calls, _answers = graph_qq
    state = _start_qq_login(client)
    response = client.get("/accounts/qq/login/callback/", {"code": "CODE", "state": state})
    assert response.status_code == 302 and response["Location"] == "/accounts/3rdparty/signup/"
    token_url, token_params = calls[0]
    assert token_params["fmt"] == "json" and token_params["code"] == "CODE"
    assert token_params["client_id"] == "101234" and token_params["client_secret"] == "s3cr3t"
    assert calls[1] == (
        "https://graph.qq.com/oauth2.0/me",
        {"access_token": "TOKEN123", "fmt": "json"},
    )
    assert calls[2][1] == {
        "access_token": "TOKEN123",
        "oauth_consumer_key": "101234",
        "openid": OPENID,
    }
    form = client.get("/accounts/3rdparty/signup/")
    assert 'value="QQ网友"' in form.content.decode()  # the nickname is offered
    done = client.post(
        "/accounts/3rdparty/signup/", {"username": "QQ网友", "email": "qq@example.com"}
    )
    assert done.status_code == 302
    member = User.objects.get(username="QQ网友")
    assert member.group_id == UserGroup.NEWBIE
    account = SocialAccount.objects.get(user=member)
    assert account.provider == "qq" and account.uid == OPENID
    assert account.extra_data["nickname"] == "QQ网友"
    assert not member.has_usable_password()


def test_qq_error_answer_shows_the_error_page(client, site_mode, qq_app, graph_qq):
    site_mode("none")
    _calls, answers = graph_qq
    answers["https://graph.qq.com/oauth2.0/token"] = {
        "error": 100019,
        "error_description": "code to access token error",
    }
    state = _start_qq_login(client)
    response = client.get("/accounts/qq/login/callback/", {"code": "BAD", "state": state})
    assert response.status_code == 401  # allauth's "社交网络登录失败" page
    assert SocialAccount.objects.count() == 0 and User.objects.count() == 0


def test_qq_token_of_another_app_is_refused(client, site_mode, qq_app, graph_qq):
    site_mode("none")
    _calls, answers = graph_qq
    answers["https://graph.qq.com/oauth2.0/me"] = {"client_id": "999", "openid": OPENID}
    state = _start_qq_login(client)
    client.get("/accounts/qq/login/callback/", {"code": "CODE", "state": state})
    assert SocialAccount.objects.count() == 0
    assert "_auth_user_id" not in client.session


def test_social_login_with_a_members_email_does_not_log_into_that_account(rf, site_mode, qq_app):
    """A provider claiming a member's (verified) e-mail gets the sign-up form, not the
    member's account: connecting needs the account's password first."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.helpers import complete_social_login
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    site_mode("none")
    owner = User.objects.create_user("老会员", email="owner@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=owner, email="owner@example.com", verified=True, primary=True)
    request = rf.get("/accounts/qq/login/callback/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # noqa: SLF001
    provider = qq_app.get_provider(request)
    sociallogin = provider.sociallogin_from_response(
        request, {"openid": "someone-else", "nickname": "冒名者"}
    )
    sociallogin.user.email = "owner@example.com"
    sociallogin.email_addresses = [
        EmailAddress(email="owner@example.com", verified=True, primary=True)
    ]
    from allauth.core import context

    with context.request_context(request):
        response = complete_social_login(request, sociallogin)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/signup/"
    assert not SocialAccount.objects.filter(user=owner).exists()
    assert request.user.is_anonymous


def test_member_connects_qq_after_logging_in_with_the_password(client, site_mode, qq_app, graph_qq):
    site_mode("none")
    owner = User.objects.create_user("老会员", email="owner@example.com", password=PASSWORD)
    client.post("/accounts/login/", {"login": "老会员", "password": PASSWORD})
    state = _start_qq_login(client, process="connect")
    client.get("/accounts/qq/login/callback/", {"code": "CODE", "state": state})
    account = SocialAccount.objects.get(provider="qq")
    assert account.user == owner and account.uid == OPENID
    # Later, QQ alone logs that member in.
    client.post("/accounts/logout/")
    state = _start_qq_login(client)
    client.get("/accounts/qq/login/callback/", {"code": "CODE", "state": state})
    assert int(client.session["_auth_user_id"]) == owner.pk


def test_a_social_signup_losing_the_race_for_its_name_gets_the_form_error(
    client, site_mode, qq_app, graph_qq, monkeypatch
):
    """The name check passes (another sign-up takes the name just after it): the unique
    name key refuses the insert and the social sign-up form shows the error, not a 500."""
    from luntan.accounts import usernames

    site_mode("none")
    state = _start_qq_login(client)
    client.get("/accounts/qq/login/callback/", {"code": "CODE", "state": state})
    User.objects.create_user("racer", "first@example.com", "x")
    monkeypatch.setattr(usernames, "is_taken", lambda name, exclude_pk=None: False)
    response = client.post(
        "/accounts/3rdparty/signup/", {"username": "rаcer", "email": "qq2@example.com"}
    )
    assert response.status_code == 200
    assert "该用户名已被注册" in response.content.decode()
    assert not SocialAccount.objects.exists()  # "rаcer" above has a Cyrillic а


@pytest.mark.django_db
@pytest.mark.parametrize("provider", ["qq", "weixin", "weibo"])
def test_an_unconfigured_provider_is_404_not_500(client, provider):
    """No SocialApp for the provider (the admin has not set QQ登录 up): its login and
    callback URLs are 404 pages, not server errors (issue 14, item 4)."""
    client.raise_request_exception = False
    for path in (f"/accounts/{provider}/login/", f"/accounts/{provider}/login/callback/"):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
