"""Auth: personal access tokens (created and revoked on the settings page, stored
hashed, shown once, scopes), the session with CSRF, and bans cutting tokens at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from luntan.accounts.models import AccessToken
from luntan.accounts.tokens import create_token, digest_of
from luntan.api.tests.conftest import bearer_client, token_for

pytestmark = pytest.mark.django_db


def _reply(client, thread, body="通过令牌发表的回复内容", **headers):
    return client.post(
        f"/api/v1/threads/{thread.pk}/posts",
        {"body": body},
        content_type="application/json",
        **headers,
    )


def test_settings_page_creates_a_token_shown_once_and_stored_hashed(client, forum):
    client.force_login(forum["member"])
    response = client.post(
        "/accounts/settings/",
        {"action": "create_token", "name": "我的机器人", "scopes": ["write"]},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = re.search(r'<code id="new-token">([^<]+)</code>', response.content.decode())[1]
    token = AccessToken.objects.get(user=forum["member"])
    assert token.digest == digest_of(secret) and secret not in token.digest
    assert token.scopes == "read write"
    # listed afterwards by its prefix only
    page = client.get("/accounts/settings/").content.decode()
    assert "我的机器人" in page and token.prefix in page and secret not in page
    me = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == forum["member"].username


def test_settings_page_revokes_a_token_and_it_stops_at_once(client, forum):
    token, secret = create_token(forum["member"], name="旧", scopes=["write"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/me").status_code == 200
    client.force_login(forum["member"])
    client.post("/accounts/settings/", {"action": "revoke_token", "token": token.pk})
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_a_member_cannot_revoke_someone_elses_token(client, forum):
    token, secret = create_token(forum["author"], name="作者的", scopes=[])
    client.force_login(forum["member"])
    client.post("/accounts/settings/", {"action": "revoke_token", "token": token.pk})
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer lt_" + "x" * 40, "Basic Zm9vOmJhcg=="])
def test_wrong_credentials_are_401_problems_even_on_public_reads(forum, header):
    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/site")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "invalid_token"


def test_a_ban_cuts_the_token_at_once_with_the_reason(forum):
    from luntan.bans.services import ban_member

    api = bearer_client(forum["member"])
    assert api.get("/api/v1/me").status_code == 200
    ban_member(forum["member"], kind="posting", reason="恶意灌水")
    response = api.get("/api/v1/site")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "banned" and "恶意灌水" in body["detail"]


def test_a_read_token_cannot_write(forum):
    api = bearer_client(forum["member"], scopes=())
    response = _reply(api, forum["thread"])
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_session_writes_need_the_csrf_header(forum):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(forum["member"])
    refused = _reply(browser, forum["thread"])
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    browser.get("/accounts/settings/")  # sets the CSRF cookie, as any page does
    csrf = browser.cookies["csrftoken"].value
    ok = _reply(browser, forum["thread"], HTTP_X_CSRFTOKEN=csrf)
    assert ok.status_code == 201, ok.content


def test_tokens_need_no_csrf(forum):
    api = Client(
        enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token_for(forum['member'])}"
    )
    assert _reply(api, forum["thread"]).status_code == 201


def test_guests_get_401_on_writes(client, forum):
    response = _reply(client, forum["thread"])
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
