"""A board's first page: other boards' global (3) and category (2) stickies, moved-thread
stubs ("已移动: …") and bold highlights, as Discuz!'s forumdisplay shows them."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from luntan.accounts.models import UserGroup
from luntan.core.tests.pages import configure_site
from luntan.moderation import services
from luntan.moderation.models import AuditLog, MovedThread
from luntan.moderation.tests.helpers import make_super_moderator
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_board, make_category, make_thread, make_user

pytestmark = pytest.mark.django_db


def rows(client, board, query="") -> list[str]:
    html = client.get(f"/f/{board.pk}/{query}").content.decode()
    out = []
    for row in re.findall(r"<tr class=\"[^\"]*\">(.*?)</tr>", html, flags=re.S):
        m = re.search(r'<a class="subject[^"]*" href="/t/\d+/"[^>]*>([^<]+)</a>', row)
        if m:
            out.append(("已移动: " if "已移动:" in row else "") + m.group(1))
    return out


def stick(thread: Thread, level: int) -> Thread:
    Thread.objects.filter(pk=thread.pk).update(sticky=level)
    thread.sticky = level
    return thread


@pytest.fixture
def forum():
    configure_site()
    cat_a, cat_b = make_category("分区甲"), make_category("分区乙")
    a1 = make_board("甲一", parent=cat_a)
    a2 = make_board("甲二", parent=cat_a)
    a_sub = make_board("甲一子", parent=a1)
    b1 = make_board("乙一", parent=cat_b)
    hidden = make_board("隐藏", parent=cat_b, is_hidden=True)
    author = make_user()
    own = make_thread(a1, author, "本版普通")
    own_sticky = stick(make_thread(a1, author, "本版置顶"), 1)
    glob = stick(make_thread(b1, author, "全局置顶"), 3)
    cat = stick(make_thread(a2, author, "分区置顶"), 2)
    other_cat = stick(make_thread(b1, author, "别区分区置顶"), 2)
    other_board = stick(make_thread(a2, author, "他版本版置顶"), 1)
    hidden_glob = stick(make_thread(hidden, author, "隐藏全局"), 3)
    return locals()


def test_global_and_category_stickies_lead_page_one(client, forum):
    got = rows(client, forum["a1"])
    assert got == ["全局置顶", "分区置顶", "本版置顶", "本版普通"]
    # a sub-board belongs to the category through its parent board
    assert rows(client, forum["a_sub"]) == ["全局置顶", "分区置顶"]
    # another category: the global sticky, its own category sticky, not 分区甲's
    assert rows(client, forum["b1"]) == ["全局置顶", "别区分区置顶"]


def test_never_duplicated_in_own_board(client, forum):
    assert rows(client, forum["b1"]).count("全局置顶") == 1
    assert rows(client, forum["a2"]) == ["全局置顶", "分区置顶", "他版本版置顶"]


def test_hidden_boards_stickies_only_for_who_may_see_them(client, forum):
    assert "隐藏全局" not in rows(client, forum["a1"])
    admin = make_super_moderator()
    client.force_login(admin)
    assert "隐藏全局" in rows(client, forum["a1"])


def test_only_normal_threads_and_only_page_one(client, forum):
    Thread.objects.filter(pk=forum["glob"].pk).update(state=Thread.State.RECYCLED)
    assert "全局置顶" not in rows(client, forum["a1"])
    Thread.objects.filter(pk=forum["glob"].pk).update(state=Thread.State.NORMAL)
    with override_settings(LUNTAN_THREADS_PER_PAGE=1):
        for i in range(3):
            make_thread(forum["a1"], forum["author"], f"填充{i}")
        page2 = rows(client, forum["a1"], "?page=2")
    assert "全局置顶" not in page2 and "分区置顶" not in page2


def test_group_restricted_board_sticky_hidden_from_guests(client, forum):
    members_only = make_board("会员版", parent=forum["cat_b"], view_groups=[UserGroup.NEWBIE])
    stick(make_thread(members_only, forum["author"], "会员全局"), 3)
    assert "会员全局" not in rows(client, forum["a1"])


def test_moved_stub_row_until_removed(client, forum):
    mod = make_super_moderator()
    t = forum["own"]
    services.move_thread(t, actor=mod, to_board=forum["b1"], leave_stub=True)
    html = client.get(f"/f/{forum['a1'].pk}/").content.decode()
    assert "已移动: 本版普通" in rows(client, forum["a1"])
    assert f'href="/t/{t.pk}/"' in html
    assert "本版普通" in rows(client, forum["b1"])  # listed normally where it is now
    assert "已移动: 本版普通" not in rows(client, forum["b1"])
    MovedThread.objects.all().delete()
    assert not any("本版普通" in r for r in rows(client, forum["a1"]))


def test_move_without_stub_leaves_no_row(client, forum):
    mod = make_super_moderator()
    services.move_thread(forum["own"], actor=mod, to_board=forum["b1"])
    assert not any("本版普通" in r for r in rows(client, forum["a1"]))


def test_stub_into_hidden_board_shows_nothing(client, forum):
    mod = make_super_moderator()
    services.move_thread(forum["own"], actor=mod, to_board=forum["hidden"], leave_stub=True)
    assert not any("本版普通" in r for r in rows(client, forum["a1"]))


def test_bold_highlight_tool_and_list(client, forum):
    mod = make_super_moderator()
    t = forum["own"]
    services.highlight_thread(t, actor=mod, color="", bold=True)
    t.refresh_from_db()
    assert t.highlight_bold and t.highlight == ""
    html = client.get(f"/f/{forum['a1'].pk}/").content.decode()
    assert f'<a class="subject bold" href="/t/{t.pk}/" title="本版普通">本版普通</a>' in html
    log = AuditLog.objects.latest("id")
    assert log.before == {"highlight": "", "bold": False}
    assert log.after == {"highlight": "", "bold": True}
    services.highlight_thread(t, actor=mod, color=services.HIGHLIGHT_PALETTE[0], bold=True)
    with pytest.raises(ValidationError):
        services.highlight_thread(t, actor=mod, color=services.HIGHLIGHT_PALETTE[0], bold=True)
    services.highlight_thread(t, actor=mod, color="", bold=False)
    t.refresh_from_db()
    assert not t.highlight_bold and t.highlight == ""
    html = client.get(f"/f/{forum['a1'].pk}/").content.decode()
    assert f'<a class="subject" href="/t/{t.pk}/" title="本版普通">本版普通</a>' in html


def test_bold_highlight_by_form(client, forum):
    mod = make_super_moderator()
    client.force_login(mod)
    t = forum["own"]
    page = client.get(t.get_absolute_url()).content.decode()
    assert 'name="bold"' in page
    response = client.post(f"/mod/t/{t.pk}/highlight/", {"color": "", "bold": "1"})
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.highlight_bold
