"""Permission tests for every endpoint: guest, member, moderator (of the public board)
and banned member (禁止发言, by token), on the public board and on a hidden board. Every
answer is also validated against the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.api.tests.conftest import attached_reply, bearer_client, png_file
from luntan.api.tests.contract import validate

pytestmark = pytest.mark.django_db

ALL = ("read", "write", "moderate")
JSON = "application/json"


def board_names(nodes) -> list[str]:
    """Every board name of a ``GET /boards`` answer, depth first."""
    return [n["name"] for node in nodes for n in [node, *_flatten(node["children"])]]


def _flatten(nodes):
    for n in nodes:
        yield n
        yield from _flatten(n["children"])


def _client(role: str, forum) -> Client:
    if role == "guest":
        return Client()
    return bearer_client(forum[role], scopes=ALL)


def _targets(forum, where: str) -> dict:
    if where == "public":
        thread = forum["thread"]
        return {
            "board": forum["board"].pk,
            "thread": thread.pk,
            "post": thread.post_set.get(floor=3).pk,  # the author's reply
            "attachment": attached_reply(thread),
        }
    secret = forum["secret"]
    return {
        "board": forum["hidden"].pk,
        "thread": secret.pk,
        "post": secret.post_set.get(floor=1).pk,
        "attachment": attached_reply(secret),
    }


# (name, method, path template, body) — {board}/{thread}/{post}/{member} filled per case.
ENDPOINTS = {
    "site": ("GET", "/api/v1/site", None),
    "boards": ("GET", "/api/v1/boards", None),
    "board": ("GET", "/api/v1/boards/{board}", None),
    "board_threads": ("GET", "/api/v1/boards/{board}/threads", None),
    "thread": ("GET", "/api/v1/threads/{thread}", None),
    "post": ("GET", "/api/v1/posts/{post}", None),
    "member": ("GET", "/api/v1/members/{member}", None),
    "me": ("GET", "/api/v1/me", None),
    "search": ("GET", "/api/v1/search?q=内容", None),
    "new_thread": (
        "POST",
        "/api/v1/boards/{board}/threads",
        {"subject": "权限测试主题", "body": "权限测试的主题正文。"},
    ),
    "reply": ("POST", "/api/v1/threads/{thread}/posts", {"body": "权限测试的回复内容"}),
    "edit": ("PATCH", "/api/v1/posts/{post}", {"body": "权限测试的编辑内容"}),
    "delete": ("DELETE", "/api/v1/posts/{post}", None),
    "mod_actions": ("GET", "/api/v1/threads/{thread}/moderation", None),
    "moderate": ("POST", "/api/v1/threads/{thread}/moderation", {"action": "close"}),
    "attachment": ("GET", "/api/v1/attachments/{attachment}", None),
    "attachment_file": ("GET", "/api/v1/attachments/{attachment}/file", None),
    "upload": ("POST", "/api/v1/attachments", "FILE"),
    "notices": ("GET", "/api/v1/me/notifications", None),
    "notices_read": ("POST", "/api/v1/me/notifications/read", {"thread_id": None}),
    "notice_settings": ("GET", "/api/v1/me/notification-settings", None),
}

ROLES = ("guest", "member", "moderator", "banned")

# Expected status per role, on the public board; then on the hidden board (None: the
# endpoint has no board). The banned member's token is refused everywhere (403 banned).
EXPECTED = {
    "site": ((200, 200, 200, 403), None),
    "boards": ((200, 200, 200, 403), None),
    "board": ((200, 200, 200, 403), (404, 404, 404, 403)),
    "board_threads": ((200, 200, 200, 403), (404, 404, 404, 403)),
    "thread": ((200, 200, 200, 403), (404, 404, 404, 403)),
    "post": ((200, 200, 200, 403), (404, 404, 404, 403)),
    "member": ((200, 200, 200, 403), None),
    "me": ((401, 200, 200, 403), None),
    "search": ((200, 200, 200, 403), None),
    "new_thread": ((401, 201, 201, 403), (401, 404, 404, 403)),
    "reply": ((401, 201, 201, 403), (401, 404, 404, 403)),
    "edit": ((401, 403, 200, 403), (401, 404, 404, 403)),
    "delete": ((401, 403, 200, 403), (401, 404, 404, 403)),
    "mod_actions": ((200, 200, 200, 403), (404, 404, 404, 403)),
    "moderate": ((401, 403, 200, 403), (401, 404, 404, 403)),
    "attachment": ((200, 200, 200, 403), (404, 404, 404, 403)),
    "attachment_file": ((200, 200, 200, 403), (404, 404, 404, 403)),
    "upload": ((401, 201, 201, 403), None),
    "notices": ((401, 200, 200, 403), None),
    "notices_read": ((401, 200, 200, 403), None),
    "notice_settings": ((401, 200, 200, 403), None),
}

CASES = [
    (name, where, role, codes[i])
    for name, (public, hidden) in EXPECTED.items()
    for where, codes in (("public", public), ("hidden", hidden))
    if codes is not None
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("name", "where", "role", "status"), CASES)
def test_endpoint_permissions(forum, name, where, role, status):
    method, template, body = ENDPOINTS[name]
    url = template.format(member=forum["author"].pk, **_targets(forum, where))
    client = _client(role, forum)
    if body == "FILE":
        response = client.post(url, {"file": png_file()})
        assert response.status_code == status, (name, role, response.content[:300])
        validate(response, method, url)
        return
    kwargs = {"content_type": JSON} if body is not None else {}
    response = (
        getattr(client, method.lower())(url, body, **kwargs)
        if body
        else getattr(client, method.lower())(url)
    )
    assert response.status_code == status, (name, where, role, response.content[:300])
    validate(response, method, url.split("?")[0])
    if role == "banned":
        assert response.json()["code"] == "banned"
        assert "灌水" in response.json()["detail"]  # the ban's reason


@pytest.mark.parametrize("role", ["guest", "member", "moderator"])
def test_hidden_board_never_shows_in_listings(forum, role):
    client = _client(role, forum)
    names = board_names(client.get("/api/v1/boards").json())
    assert "新闻" in names and "内部" not in names
    hits = client.get("/api/v1/search?q=正文内容").json()["hits"]
    assert forum["secret"].pk not in {h["thread_id"] for h in hits}


def test_administrators_see_the_hidden_board(forum):
    from luntan.accounts.groups import GroupId
    from luntan.threads.tests.factories import make_user

    admin = make_user("管理员甲", group_id=GroupId.ADMIN)
    client = bearer_client(admin, scopes=ALL)
    assert client.get(f"/api/v1/threads/{forum['secret'].pk}").status_code == 200
    assert "内部" in board_names(client.get("/api/v1/boards").json())


def test_a_posting_banned_member_still_reads_through_the_session_but_cannot_write(forum):
    browser = Client()
    browser.force_login(forum["banned"])
    assert browser.get(f"/api/v1/threads/{forum['thread'].pk}").status_code == 200
    response = browser.post(
        f"/api/v1/threads/{forum['thread'].pk}/posts", {"body": "被禁言后的回复"}, content_type=JSON
    )
    assert response.status_code == 403
    assert "灌水" in response.json()["detail"]  # the page's refusal names the ban


def test_password_board_asks_for_its_password(forum):
    from luntan.permissions.passwords import set_board_password

    set_board_password(forum["board"], "芝麻开门")
    response = bearer_client(forum["member"]).get(f"/api/v1/threads/{forum['thread'].pk}")
    assert response.status_code == 403
    assert response.json()["code"] == "board_password_required"


def test_read_level_is_refused_with_its_code(forum):
    from luntan.threads.models import Thread

    Thread.objects.filter(pk=forum["thread"].pk).update(read_level=200)
    response = bearer_client(forum["member"]).get(f"/api/v1/threads/{forum['thread'].pk}")
    assert response.status_code == 403
    assert response.json()["code"] == "read_level"
