"""The private message endpoints: who may read and send, and what the caller sees."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.accounts.models import UserGroup
from luntan.api.tests.conftest import bearer_client
from luntan.permissions.groups import forget_group_rights
from luntan.pms import services
from luntan.pms.models import Message

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _send(client, body):
    return client.post("/api/v1/pms", body, content_type=JSON)


def test_send_list_read_and_delete(forum):
    member, author = forum["member"], forum["author"]
    sender = bearer_client(member)
    answer = _send(sender, {"to": ["楼主甲"], "body": "[b]你好[/b]"})
    assert answer.status_code == 201, answer.content
    conv_id = answer.json()["conversation_id"]
    reader = bearer_client(author)
    inbox = reader.get("/api/v1/pms").json()
    assert inbox["unread_total"] == 1
    [item] = inbox["items"]
    assert item["unread"] and item["last_excerpt"] == "你好"
    assert {m["username"] for m in item["members"]} == {"楼主甲", "会员乙"}
    detail = reader.get(f"/api/v1/pms/{conv_id}").json()
    assert detail["messages"][0]["html"] == "<strong>你好</strong>"
    assert reader.get("/api/v1/pms").json()["unread_total"] == 0
    # A reply into the conversation, then the caller deletes it for themselves only.
    assert _send(reader, {"conversation_id": conv_id, "body": "收到"}).status_code == 201
    assert reader.delete(f"/api/v1/pms/{conv_id}").json()["deleted"] is True
    assert reader.get("/api/v1/pms").json()["items"] == []
    assert len(sender.get(f"/api/v1/pms/{conv_id}").json()["messages"]) == 2


def test_a_third_member_and_guests_see_nothing(forum):
    result = services.send_message(forum["member"], "私事", recipients=[forum["author"]])
    conv_id = result.conversation.pk
    third = bearer_client(forum["moderator"])
    assert third.get(f"/api/v1/pms/{conv_id}").status_code == 404
    assert _send(third, {"conversation_id": conv_id, "body": "插话"}).status_code == 404
    assert third.get("/api/v1/pms").json()["items"] == []
    assert Client().get("/api/v1/pms").status_code == 401
    read_only = bearer_client(forum["member"], scopes=("read",))
    refused = _send(read_only, {"to": ["楼主甲"], "body": "x"})
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"


def test_refusals_are_problems(forum):
    banned = bearer_client(forum["banned"])
    answer = _send(banned, {"to": ["楼主甲"], "body": "hi"})
    assert answer.status_code == 403
    member = bearer_client(forum["member"])
    services.block(forum["author"], forum["member"])
    answer = _send(member, {"to": ["楼主甲"], "body": "hi"})
    assert answer.status_code == 422 and answer.json()["code"] == "refused"
    answer = _send(member, {"to": ["楼主甲", "谁"], "body": "hi"})
    assert answer.status_code == 422 and "谁" in answer.json()["detail"]
    answer = _send(member, {"body": "hi"})
    assert answer.status_code == 422
    forum["member"].refresh_from_db()  # its group follows its credits
    UserGroup.objects.filter(pk=forum["member"].group_id).update(max_pms_per_day=1)
    forget_group_rights()
    assert _send(member, {"to": ["版主丙"], "body": "一"}).status_code == 201
    answer = _send(member, {"to": ["版主丙"], "body": "二"})
    assert answer.status_code == 429 and answer.json()["code"] == "daily_limit"
    assert answer["Retry-After"]
    assert Message.objects.count() == 1


def test_send_with_an_uploaded_attachment_only_members_fetch_it(forum, tmp_path, settings):
    from luntan.attachments.tests.files import PDF_BYTES

    settings.MEDIA_ROOT = tmp_path / "media"
    sender = bearer_client(forum["member"])
    up = sender.post(
        "/api/v1/attachments",
        {"file": _file("议程.pdf", PDF_BYTES)},
    )
    assert up.status_code == 201, up.content
    aid = up.json()["id"]
    answer = _send(sender, {"to": ["楼主甲"], "body": "见附件", "attachment_ids": [aid]})
    assert answer.status_code == 201, answer.content
    reader = bearer_client(forum["author"])
    assert reader.get(f"/api/v1/attachments/{aid}/file").status_code == 200
    detail = reader.get(f"/api/v1/pms/{answer.json()['conversation_id']}").json()
    assert f"/attachments/{aid}/" in detail["messages"][-1]["html"]
    assert detail["messages"][-1]["system"] == ""
    third = bearer_client(forum["moderator"])
    assert third.get(f"/api/v1/attachments/{aid}").status_code == 404
    assert third.get(f"/api/v1/attachments/{aid}/file").status_code == 404
    # someone else's upload can't be attached
    stolen = _send(third, {"to": ["楼主甲"], "body": "偷用", "attachment_ids": [aid]})
    assert stolen.status_code == 422


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")
