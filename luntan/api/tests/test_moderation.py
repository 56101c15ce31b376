"""Moderation through the API: the actions a caller may take, and taking them through
the moderation services (logged), with the ``moderate`` scope."""

from __future__ import annotations

import pytest

from luntan.api.tests.conftest import bearer_client
from luntan.moderation.models import AuditLog
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_board

pytestmark = pytest.mark.django_db

ALL = ("read", "write", "moderate")


def _act(client, thread, **data):
    return client.post(
        f"/api/v1/threads/{thread.pk}/moderation", data, content_type="application/json"
    )


def test_close_stick_digest_and_the_log(forum):
    api = bearer_client(forum["moderator"], scopes=ALL)
    thread = forum["thread"]
    assert _act(api, thread, action="close", reason="结束讨论").json()["closed"] is True
    assert _act(api, thread, action="stick", level=1).json()["sticky"] == 1
    assert _act(api, thread, action="digest", level=2).json()["digest"] == 2
    assert AuditLog.objects.filter(thread_id=thread.pk).count() == 3


def test_recycle_then_restore(forum):
    api = bearer_client(forum["moderator"], scopes=ALL)
    thread = forum["thread"]
    assert _act(api, thread, action="recycle").json()["state"] == "recycled"
    # gone for everyone else, still there for its moderator
    assert bearer_client(forum["member"]).get(f"/api/v1/threads/{thread.pk}").status_code == 404
    actions = api.get(f"/api/v1/threads/{thread.pk}/moderation").json()["actions"]
    assert actions == ["restore"]
    assert _act(api, thread, action="restore").json()["state"] == "normal"


def test_move_only_into_a_board_the_moderator_moderates(forum):
    api = bearer_client(forum["moderator"], scopes=ALL)
    elsewhere = make_board("别处")
    refused = _act(api, forum["thread"], action="move", to_board=elsewhere.pk)
    assert refused.status_code == 403
    elsewhere.moderators.add(forum["moderator"])
    moved = _act(api, forum["thread"], action="move", to_board=elsewhere.pk)
    assert moved.status_code == 200 and moved.json()["board_id"] == elsewhere.pk


def test_the_moderate_scope_is_needed(forum):
    api = bearer_client(forum["moderator"], scopes=("read", "write"))
    response = _act(api, forum["thread"], action="close")
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert Thread.objects.get(pk=forum["thread"].pk).closed is False


def test_missing_level_is_a_422(forum):
    api = bearer_client(forum["moderator"], scopes=ALL)
    response = _act(api, forum["thread"], action="stick")
    assert response.status_code == 422 and response.json()["code"] == "level"
