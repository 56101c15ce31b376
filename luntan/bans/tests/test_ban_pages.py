"""A member banned from posting: no reports either, and every refusal page of the ban
says its reason and its end (永久, or the date in the viewer's time zone)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from luntan.accounts.models import UserGroup
from luntan.bans import services
from luntan.bans.models import Ban
from luntan.moderation.models import Report
from luntan.threads.tests.factories import make_board, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _banned(client, expires_at=None, time_zone=""):
    admin = make_user("站长", group_id=UserGroup.ADMIN)
    member = make_user(group_id=11, time_zone=time_zone)
    services.ban_member(
        member, kind=Ban.Kind.POSTING, reason="发广告", expires_at=expires_at, operator=admin
    )
    member.refresh_from_db()
    client.force_login(member)
    return member


def test_a_member_banned_from_posting_cannot_report(client):
    thread = make_thread(make_board())
    _banned(client)
    post = thread.post_set.get(floor=1)
    response = client.post(f"/mod/p/{post.pk}/report/", {"reason": "举报一下"})
    assert response.status_code == 403
    assert not Report.objects.exists()
    assert "发广告" in response.content.decode()


def test_the_posting_refusal_page_says_the_reason_and_permanent(client):
    thread = make_thread(make_board())
    _banned(client)
    response = client.get(f"/t/{thread.pk}/reply/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "发广告" in html and "永久" in html


def test_the_refusal_page_gives_the_end_in_the_viewers_time_zone(client):
    board = make_board()
    end = datetime(2099, 3, 1, 20, 30, tzinfo=UTC)
    _banned(client, expires_at=end, time_zone="America/New_York")
    response = client.get(f"/f/{board.pk}/new/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "发广告" in html
    assert "2099-3-1 15:30" in html  # 20:30 UTC is 15:30 in New York (EST)
    assert "永久" not in html


def test_the_visiting_ban_page_gives_the_end_in_the_members_time_zone(client):
    admin = make_user("站长", group_id=UserGroup.ADMIN)
    member = make_user(group_id=11, time_zone="Europe/London")
    end = datetime(2099, 7, 1, 8, 0, tzinfo=UTC)
    services.ban_member(
        member, kind=Ban.Kind.VISITING, reason="骂人", expires_at=end, operator=admin
    )
    member.refresh_from_db()
    client.force_login(member)  # a session from before the ban would have been cut
    response = client.get("/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "骂人" in html and "2099-7-1 09:00" in html  # BST, UTC+1
