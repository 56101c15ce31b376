"""The thread page for moderators: tools bar, floor checkboxes, "本主题由 X 于 …" notice,
屏蔽 and 警告 on floors, 举报 links; the moderator's page costs the member's queries."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from luntan.moderation import services
from luntan.moderation.tests.helpers import make_moderator
from luntan.threads.models import Post
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    board = make_board("新闻")
    t = make_thread(board, make_user("alice"), "主题", "楼主正文")
    make_reply(t, make_user("bob"), "第二楼的内容")
    return {"board": board, "t": t, "mod": make_moderator(board, "版主甲"), "member": make_user()}


def page(user, thread) -> str:
    c = Client()
    if user is not None:
        c.force_login(user)
    r = c.get(f"/t/{thread.pk}/")
    assert r.status_code == 200
    return r.content.decode()


def test_tools_only_for_the_boards_moderators(world):
    html = page(world["mod"], world["t"])
    assert 'id="modbar"' in html and 'id="modposts"' in html
    assert html.count('form="modposts" name="post"') == 2
    other = make_moderator(make_board("别的"), "版主乙")
    for user in (world["member"], other, None):
        html = page(user, world["t"])
        assert 'id="modbar"' not in html and 'form="modposts"' not in html


def test_notice_shows_newest_thread_action(world):
    t, mod = world["t"], world["mod"]
    assert 'id="modact"' not in page(None, t)
    services.close_thread(t, actor=mod)
    assert "本主题由 版主甲 于" in page(None, t) and "关闭" in page(None, t)
    services.stick_thread(t, actor=mod, level=1)
    html = page(world["member"], t)
    assert "本主题由 版主甲 于" in html and "置顶</a></div>" in html


def test_banned_and_warned_floors(world):
    t, mod = world["t"], world["mod"]
    second = Post.objects.get(thread=t, floor=2)
    services.ban_post(second, actor=mod)
    services.warn_author(second, actor=mod)
    html = page(world["member"], t)
    assert "提示: 该帖被管理员或版主屏蔽" in html and "第二楼的内容" not in html
    assert "该帖作者被警告" in html
    html = page(world["mod"], t)
    assert "提示: 该帖被管理员或版主屏蔽" in html and "第二楼的内容" in html


def test_report_link_for_members_on_others_floors(world):
    second = Post.objects.get(thread=world["t"], floor=2)
    html = page(second.author, world["t"])
    assert html.count('class="fl-report"') == 1  # the OP's floor, not their own
    assert 'class="fl-report"' not in page(None, world["t"])


@override_settings(LUNTAN_VIEW_FLUSH_SECONDS=3600)
def test_moderator_page_costs_no_more_than_a_members(world, django_assert_num_queries):
    t = world["t"]
    services.close_thread(t, actor=world["mod"])
    services.ban_post(Post.objects.get(thread=t, floor=2), actor=world["mod"])
    c = Client()
    c.force_login(world["mod"])
    c.get(f"/t/{t.pk}/")
    # member (session), is_moderator, thread (+ notice join), posts (+ 屏蔽/警告 EXISTS),
    # the member's read floor of the thread (luntan.unread: 新 markers, jump to unread)
    with django_assert_num_queries(5):
        assert c.get(f"/t/{t.pk}/").status_code == 200
    from luntan.threads import view_counts

    view_counts.flush()


def test_banned_content_stays_out_of_archiver_and_reading_mode(world):
    t, mod = world["t"], world["mod"]
    second = Post.objects.get(thread=t, floor=2)
    services.ban_post(second, actor=mod)
    c = Client()
    assert "第二楼的内容" not in c.get(f"/archiver/t/{t.pk}/").content.decode()
    assert "楼主正文" in c.get(f"/archiver/t/{t.pk}/").content.decode()
    assert c.get(f"/t/{t.pk}/read/").status_code == 200
    services.ban_post(Post.objects.get(thread=t, floor=1), actor=mod)
    assert c.get(f"/t/{t.pk}/read/").status_code == 404


def test_banned_floor_hides_its_attachments_from_everyone_but_moderators(world):
    from luntan.attachments import services as attachments
    from luntan.attachments.tests.files import upload_file

    second = Post.objects.get(thread=world["t"], floor=2)
    doc = attachments.upload(second.author, upload_file("名单.txt", b"secret list"))
    attachments.bind(second, [doc.pk], second.author)
    assert "名单.txt" in page(world["member"], world["t"])
    services.ban_post(second, actor=world["mod"])
    assert "名单.txt" not in page(world["member"], world["t"])
    assert "名单.txt" not in page(None, world["t"])
    assert "名单.txt" in page(world["mod"], world["t"])
