"""The contract test: every operation of the OpenAPI schema is called, successes and
errors, and every answer validates against the schema it documents (body, status and
media type: problem answers are application/problem+json)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from luntan.api.tests import contract
from luntan.api.tests.conftest import bearer_client, png_file
from luntan.boards.models import Board

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_openapi_schema_is_valid_openapi_3_1():
    from openapi_spec_validator import validate as validate_spec

    validate_spec(contract.spec())


@override_settings(LUNTAN_SEARCH_INTERVAL=0)
def test_every_operation_answers_as_documented(forum):
    contract.seen.clear()
    guest = Client()
    member = bearer_client(forum["member"], scopes=("read", "write", "moderate"))
    author = bearer_client(forum["author"], scopes=("read", "write"))
    board, thread = forum["board"], forum["thread"]
    op = thread.post_set.get(floor=1)
    reply = thread.post_set.get(floor=3)

    def check(client, method, url, body=None, status=None):
        path = url.split("?")[0]
        call = getattr(client, method.lower())
        response = call(url, body, content_type=JSON) if body is not None else call(url)
        if status is not None:
            assert response.status_code == status, (method, url, response.content[:300])
        contract.validate(response, method, path)
        return response

    check(guest, "GET", "/api/v1/site", status=200)
    check(guest, "GET", "/api/v1/boards", status=200)
    check(guest, "GET", f"/api/v1/boards/{board.pk}", status=200)
    check(guest, "GET", "/api/v1/boards/987654", status=404)
    first = check(guest, "GET", f"/api/v1/boards/{board.pk}/threads?limit=1", status=200)
    check(guest, "GET", f"/api/v1/boards/{board.pk}/threads?cursor=x", status=400)
    check(guest, "GET", f"/api/v1/boards/{board.pk}/threads?order=oldest", status=422)
    assert first.json()["items"]
    check(guest, "GET", f"/api/v1/threads/{thread.pk}?order=desc&page=2", status=200)
    check(member, "GET", f"/api/v1/threads/{thread.pk}", status=200)
    check(guest, "GET", f"/api/v1/threads/{forum['secret'].pk}", status=404)
    check(guest, "GET", f"/api/v1/posts/{reply.pk}", status=200)
    check(guest, "GET", f"/api/v1/members/{forum['author'].pk}", status=200)
    check(guest, "GET", "/api/v1/members/987654", status=404)
    check(guest, "GET", "/api/v1/me", status=401)
    check(member, "GET", "/api/v1/me", status=200)
    check(guest, "GET", "/api/v1/search?q=回复", status=200)
    check(guest, "GET", "/api/v1/search?q=", status=422)

    created = check(
        member,
        "POST",
        f"/api/v1/boards/{board.pk}/threads",
        {"subject": "契约测试", "body": "契约测试的主题正文。", "token": "c1"},
        status=201,
    )
    check(
        member,
        "POST",
        f"/api/v1/boards/{board.pk}/threads",
        {"subject": "契约测试", "body": "契约测试的主题正文。", "token": "c1"},
        status=200,
    )
    check(member, "POST", f"/api/v1/boards/{board.pk}/threads", {"subject": ""}, status=422)
    check(guest, "POST", f"/api/v1/boards/{board.pk}/threads", {"subject": "x"}, status=401)
    new_thread = created.json()["thread_id"]
    check(
        member, "POST", f"/api/v1/threads/{new_thread}/posts", {"body": "契约测试回复"}, status=201
    )
    check(member, "POST", f"/api/v1/threads/{thread.pk}/posts", {"body": "短"}, status=422)
    Board.objects.filter(pk=board.pk).update(moderate_new_posts=True)
    check(
        member, "POST", f"/api/v1/threads/{thread.pk}/posts", {"body": "等待审核的回复"}, status=202
    )
    check(author, "PATCH", f"/api/v1/posts/{op.pk}", {"body": "契约测试编辑后的正文"}, status=200)
    check(member, "PATCH", f"/api/v1/posts/{op.pk}", {"body": "别人的帖子"}, status=403)
    check(author, "DELETE", f"/api/v1/posts/{reply.pk}", status=200)
    check(author, "DELETE", f"/api/v1/posts/{reply.pk}", status=403)  # already deleted

    moderator = bearer_client(forum["moderator"], scopes=("read", "write", "moderate"))
    url = f"/api/v1/threads/{thread.pk}/moderation"
    assert check(guest, "GET", url, status=200).json()["actions"] == []
    assert "close" in check(moderator, "GET", url, status=200).json()["actions"]
    check(moderator, "POST", url, {"action": "stick", "level": 1}, status=200)
    check(moderator, "POST", url, {"action": "stick", "level": 1}, status=422)  # unchanged
    check(member, "POST", url, {"action": "close"}, status=403)
    check(moderator, "POST", url, {"action": "fly"}, status=422)

    uploaded = member.post("/api/v1/attachments", {"file": png_file()})
    assert uploaded.status_code == 201
    contract.validate(uploaded, "POST", "/api/v1/attachments")
    aid = uploaded.json()["id"]
    check(member, "GET", f"/api/v1/attachments/{aid}", status=200)
    check(member, "GET", f"/api/v1/attachments/{aid}/file", status=200)
    check(guest, "GET", f"/api/v1/attachments/{aid}", status=404)  # unbound: uploader only
    bad = member.post("/api/v1/attachments", {"file": SimpleUploadedFile("x.png", b"not png")})
    assert bad.status_code == 422
    contract.validate(bad, "POST", "/api/v1/attachments")

    # 短消息: inbox, send, read, delete for me.
    sent = check(
        member, "POST", "/api/v1/pms", {"to": ["楼主甲"], "body": "契约短消息"}, status=201
    )
    conv_id = sent.json()["conversation_id"]
    check(member, "POST", "/api/v1/pms", {"to": ["没有这人"], "body": "x"}, status=422)
    check(guest, "POST", "/api/v1/pms", {"to": ["楼主甲"], "body": "x"}, status=401)
    check(author, "GET", "/api/v1/pms", status=200)
    check(author, "GET", f"/api/v1/pms/{conv_id}", status=200)
    check(moderator, "GET", f"/api/v1/pms/{conv_id}", status=404)
    check(author, "DELETE", f"/api/v1/pms/{conv_id}", status=200)
    check(moderator, "DELETE", f"/api/v1/pms/{conv_id}", status=404)

    # 提醒: the author heard of the replies above
    listed = check(author, "GET", "/api/v1/me/notifications?unread=true", status=200).json()
    assert listed["items"] and listed["unread_total"] >= 1
    check(guest, "GET", "/api/v1/me/notifications", status=401)
    one = listed["items"][0]["id"]
    assert (
        check(author, "POST", "/api/v1/me/notifications/read", {"id": one}, status=200).json()[
            "marked"
        ]
        == 1
    )
    check(author, "POST", "/api/v1/me/notifications/read", {"id": 0}, status=422)
    check(author, "POST", "/api/v1/me/notifications/read", {}, status=200)
    prefs = check(author, "GET", "/api/v1/me/notification-settings", status=200).json()
    assert prefs["channels"]["reply"] == "site"
    prefs["channels"]["reply"] = "email"
    saved = check(author, "PUT", "/api/v1/me/notification-settings", prefs, status=200).json()
    assert saved["channels"]["reply"] == "email"
    prefs["digest"] = "weekly"
    check(author, "PUT", "/api/v1/me/notification-settings", prefs, status=422)

    with override_settings(LUNTAN_API_RATE_READ="1/60"):
        check(Client(REMOTE_ADDR="10.9.9.9"), "GET", "/api/v1/site", status=200)
        limited = check(Client(REMOTE_ADDR="10.9.9.9"), "GET", "/api/v1/site", status=429)
        assert limited["Retry-After"]

    documented = {(path, m) for path, ops in contract.spec()["paths"].items() for m in ops}
    assert documented - contract.seen == set()
