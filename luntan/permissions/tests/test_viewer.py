"""The per-request viewer: built lazily by the middleware as ``request.viewer``, carrying
the session's unlocked boards (nothing is bolted onto ``request.user``), and offered to
templates as ``viewer``."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from luntan.accounts.groups import GroupId
from luntan.permissions import Viewer, as_viewer
from luntan.permissions.middleware import ViewerMiddleware
from luntan.permissions.passwords import set_board_password
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db


def test_the_middleware_gives_each_request_a_lazy_viewer(django_assert_num_queries):
    seen = {}

    def view(request):
        seen["viewer"] = request.viewer
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = make_user(group_id=GroupId.REGISTERED)
    with django_assert_num_queries(0):  # nothing is read before a rule asks
        ViewerMiddleware(view)(request)
    viewer = as_viewer(seen["viewer"])
    assert isinstance(seen["viewer"], Viewer) and viewer is seen["viewer"]
    assert (viewer.pk, viewer.group_id, viewer.ip) == (request.user.pk, 11, "10.1.2.3")
    assert not hasattr(request.user, "unlocked_boards")


def test_an_unlocked_board_stays_open_for_the_session_only(client):
    board = make_board("密码版块")
    thread = make_thread(board, subject="只给知道密码的人看")
    set_board_password(board, "芝麻开门")
    member = make_user(group_id=GroupId.REGISTERED)
    client.force_login(member)
    assert client.get(thread.get_absolute_url()).status_code == 302  # to the password form
    client.post(reverse("permissions:board_password", args=[board.pk]), {"password": "芝麻开门"})
    assert "只给知道密码的人看" in client.get(thread.get_absolute_url()).content.decode()
    other = type(client)()
    other.force_login(member)  # the same member in another browser: still locked
    assert other.get(thread.get_absolute_url()).status_code == 302


@pytest.mark.parametrize(
    ("group_id", "offered"),
    [(GroupId.SUPER_MODERATOR, True), (GroupId.ADMIN, True), (GroupId.REGISTERED, False)],
)
def test_the_ban_link_on_a_profile_follows_the_viewer_rights(client, group_id, offered):
    member = make_user(group_id=GroupId.REGISTERED)
    client.force_login(make_user(group_id=group_id))
    page = client.get(reverse("members:profile", args=[member.pk])).content.decode()
    assert (reverse("bans:member", args=[member.pk]) in page) is offered
