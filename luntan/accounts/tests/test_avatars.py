"""Avatar URLs and the generated default (luntan.accounts.avatars)."""

from __future__ import annotations

import pytest

from luntan.accounts import avatars
from luntan.accounts.models import User

pytestmark = pytest.mark.django_db


def test_uid_path_follows_discuz_layout():
    assert avatars.uid_path(1) == "000/00/00/01"
    assert avatars.uid_path(123456789) == "123/45/67/89"


def test_a_member_without_avatar_gets_the_generated_default(client):
    member = User.objects.create_user(username="alice", password="pw")  # noqa: S106
    url = avatars.avatar_url(member, "small")
    assert url == f"/avatar/{member.pk}/small.svg"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    body = response.content.decode()
    assert 'width="48"' in body and ">A</text>" in body
    assert avatars.default_colour(member.pk) in body


def test_the_default_escapes_the_initial_and_sizes_fall_back():
    svg = avatars.default_avatar_svg(5, "<b", "huge")
    assert "&lt;" in svg and "<b" not in svg.replace("<svg", "")
    assert 'width="120"' in svg  # unknown size: middle, as Discuz!'s avatar.php
    assert avatars.normalise_size(48) == "small"
    assert avatars.normalise_size(100) == "middle"
    assert avatars.normalise_size(999) == "big"


def test_a_stored_avatar_is_served_from_the_storage():
    member = User(pk=7, username="bob", avatar="avatars/000/00/00/07_abc")
    assert avatars.avatar_url(member, "big").endswith("avatars/000/00/00/07_abc_big.jpg")
    assert avatars.avatar_url(None) == "/avatar/0/middle.svg"
