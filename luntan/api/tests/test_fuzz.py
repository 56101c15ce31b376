"""No input gives a 5xx or HTML: every parameter and body field of every operation of
the schema is tried with edge values (huge and negative numbers, non-digits, overflowing
dates, NUL, emoji, wrong JSON types), by a guest and by a member with every scope."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from luntan.api.tests import contract
from luntan.api.tests.conftest import attached_reply, bearer_client
from luntan.pms.services import send_message

pytestmark = pytest.mark.django_db

EDGE = [
    "99999999999999999999",
    "-1",
    "0",
    "abc",
    "9999-12-31",
    "0001-01-01",
    "1e309",
    "１２",
    "😀",
    "a\x00b",
    "",
]
BODY_EDGE = [None, -1, 2**70, "", "a\x00b", "😀" * 10, [], {}, True, 1.5]


def _requests(forum):
    ids = {
        "board_id": forum["board"].pk,
        "thread_id": forum["thread"].pk,
        "post_id": forum["thread"].post_set.get(floor=3).pk,
        "member_id": forum["author"].pk,
        "attachment_id": attached_reply(forum["thread"]),
        "conversation_id": send_message(
            forum["member"], "模糊测试", recipients=[forum["author"]]
        ).conversation.pk,
    }
    spec = contract.spec()
    for template, ops in spec["paths"].items():
        for method, op in ops.items():
            params = op.get("parameters", [])
            path_names = [p["name"] for p in params if p["in"] == "path"]
            base = template.format(**{n: ids[n] for n in path_names})
            for name in path_names:  # each path id broken in turn
                for value in EDGE[:5]:
                    yield method, template.format(**{**ids, name: value}), None
            for p in (p for p in params if p["in"] == "query"):
                for value in EDGE:
                    yield method, base, {p["name"]: value}
            body = op.get("requestBody")
            if body and "application/json" not in body["content"]:  # multipart upload
                for value in ["", "a\x00b", "😀"]:
                    yield method, base, {"__form__": {"file": value}}
            elif body:
                ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                fields = spec["components"]["schemas"][ref]["properties"]
                for field in fields:
                    for value in BODY_EDGE:
                        yield (
                            method,
                            base,
                            {"__body__": {"body": "正文内容足够长的测试", field: value}},
                        )


@override_settings(
    LUNTAN_API_RATE_READ="0/60", LUNTAN_API_RATE_WRITE="0/60", LUNTAN_SEARCH_INTERVAL=0
)
@pytest.mark.parametrize("who", ["guest", "member"])
def test_no_input_gives_a_server_error(forum, who):
    client = (
        Client()
        if who == "guest"
        else bearer_client(forum["moderator"], scopes=("read", "write", "moderate"))
    )
    bad, statuses = [], set()
    for method, path, data in _requests(forum):
        call = getattr(client, method)
        if data and "__form__" in data:
            response = call(path, data["__form__"])
        elif data and "__body__" in data:
            response = call(path, json.dumps(data["__body__"]), content_type="application/json")
        elif data:
            response = (
                call(path, data)
                if method == "get"
                else call(path + "?" + "&".join(f"{k}={v}" for k, v in data.items()))
            )
        else:
            response = call(path)
        kind = response.get("Content-Type", "")
        statuses.add(response.status_code)
        if response.status_code >= 500 or "json" not in kind:
            bad.append((method, path, data, response.status_code, kind))
    assert bad == []
    assert 429 not in statuses  # the limits were off: every request reached its endpoint
    assert {200, 422} <= statuses
