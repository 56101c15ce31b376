"""[hide] follows Discuz!'s rule on the thread page, for new posts as for imported ones:
回复可见 for members who posted in the thread, 积分可见 by credits, the author, moderators
and administrators always; guests never (an expired [hide=dDAYS,N] excepted)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from luntan.accounts.models import User, UserGroup
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db

BODY = "公开部分\n[hide]回复才能看的秘密[/hide]\n[hide=50]五十积分的秘密[/hide]"


@pytest.fixture
def thread():
    board = make_board()
    UserGroup.objects.filter(pk__in=[10, 11]).update(allow_hide_code=True)
    author = make_user("楼主甲", group_id=11)
    t = make_thread(board, author, body=BODY)
    return t


def _page(client, thread, user=None) -> str:
    if user is not None:
        client.force_login(user)
    return client.get(thread.get_absolute_url()).content.decode()


def test_guest_and_other_member_see_the_notice_only(client, thread):
    for viewer in (None, make_user("路人乙")):
        page = _page(client, thread, viewer)
        assert "公开部分" in page and "本帖隐藏的内容" in page
        assert "回复才能看的秘密" not in page and "五十积分的秘密" not in page


def test_replying_reveals_the_reply_hide_and_credits_the_credit_hide(client, thread):
    member = make_user("回复者丙")
    make_reply(thread, member, "看看")
    page = _page(client, thread, member)
    assert "回复才能看的秘密" in page and "五十积分的秘密" not in page
    from luntan.credits.services import apply_change

    apply_change(member, {2: 60}, "admin")  # 金钱 +60: total credits ≥ 50
    rich = User.objects.get(pk=member.pk)
    assert rich.credits >= 50
    page = _page(client, thread, rich)
    assert "五十积分的秘密" in page


def test_author_and_administrator_always_see(client, thread):
    assert "五十积分的秘密" in _page(client, thread, thread.author)
    admin = make_user("站长", group_id=UserGroup.ADMIN, is_superuser=True, is_staff=True)
    page = _page(client, thread, admin)
    assert "回复才能看的秘密" in page and "五十积分的秘密" in page


def test_expired_timed_hide_is_public(client):
    board = make_board()
    UserGroup.objects.filter(pk=11).update(allow_hide_code=True)
    author = make_user("作者丁", group_id=11)
    old = timezone.now() - timedelta(days=40)
    t = make_thread(board, author, body="[hide=d30,1000]过期的秘密[/hide]", now=old)
    assert "过期的秘密" in _page(client, t)
    fresh = make_thread(board, author, body="[hide=d30,1000]新鲜的秘密[/hide]")
    assert "新鲜的秘密" not in _page(client, fresh)
