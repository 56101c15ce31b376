"""Moderation pages: permissions (board moderators only in their boards, super
moderators everywhere, members never), POST only, bad input answered, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.accounts.models import UserGroup
from luntan.moderation.models import AuditLog, MergedThread, Report
from luntan.moderation.tests.helpers import make_moderator, make_super_moderator
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    board = make_board("新闻", types=("求助",))
    other = make_board("闲聊", parent=board.parent)
    t = make_thread(board, make_user("alice"), "主题")
    make_reply(t, make_user("bob"), "第二楼")
    make_reply(t, make_user("carol"), "第三楼")
    t2 = make_thread(other, make_user("dave"), "别的主题")
    return {
        "board": board,
        "other": other,
        "t": t,
        "t2": t2,
        "mod": make_moderator(board, "版主甲"),
        "other_mod": make_moderator(other, "版主乙"),
        "super": make_super_moderator("超版"),
        "member": make_user("路人"),
    }


def client_for(user) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("mod", True), ("super", True), ("other_mod", False), ("member", False)],
)
def test_close_permission(world, who, allowed):
    t = world["t"]
    r = client_for(world[who]).post(f"/mod/t/{t.pk}/close/")
    t.refresh_from_db()
    assert t.closed is allowed
    assert r.status_code == (302 if allowed else 403)
    assert AuditLog.objects.count() == (1 if allowed else 0)


def test_guest_goes_to_login(world):
    r = client_for(None).post(f"/mod/t/{world['t'].pk}/close/")
    assert r.status_code == 302 and "/login" in r["Location"]
    assert not Thread.objects.get(pk=world["t"].pk).closed


def test_get_is_refused_and_csrf_enforced(world):
    c = client_for(world["mod"])
    assert c.get(f"/mod/t/{world['t'].pk}/close/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world["mod"])
    assert strict.post(f"/mod/t/{world['t'].pk}/close/").status_code == 403
    assert not Thread.objects.get(pk=world["t"].pk).closed


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("stick/", {"level": "9"}),
        ("stick/", {"level": "abc"}),
        ("digest/", {}),
        ("highlight/", {"color": "red"}),
        ("open/", {}),
        ("restore/", {}),
        ("posts/", {"action": "split"}),
        ("posts/", {"action": "split", "post": ["x"]}),
        ("posts/", {"action": "frobnicate", "post": ["1"]}),
        ("move/", {"board": "999999"}),
        ("merge/", {"other": "nope"}),
        ("type/", {"type": "999999"}),
    ],
)
def test_bad_input_is_a_message_not_a_500(world, url, data):
    r = client_for(world["mod"]).post(f"/mod/t/{world['t'].pk}/{url}", data)
    assert r.status_code == 400
    assert not AuditLog.objects.exists()


def test_unknown_thread_and_action(world):
    c = client_for(world["super"])
    assert c.post("/mod/t/99999/close/").status_code == 404
    assert c.post(f"/mod/t/{world['t'].pk}/explode/").status_code == 404


def test_stick_digest_highlight_from_the_page(world):
    c, t = client_for(world["mod"]), world["t"]
    assert c.post(f"/mod/t/{t.pk}/stick/", {"level": "3"}).status_code == 302
    assert c.post(f"/mod/t/{t.pk}/digest/", {"level": "2"}).status_code == 302
    assert c.post(f"/mod/t/{t.pk}/highlight/", {"color": "#3C9D40"}).status_code == 302
    t.refresh_from_db()
    assert (t.sticky, t.digest, t.highlight) == (3, 2, "#3C9D40")


def test_move_needs_a_board_the_mod_can_see(world):
    c, t = client_for(world["mod"]), world["t"]
    mine = make_board("我的第二版", parent=world["board"].parent)
    mine.moderators.add(world["mod"])
    page = c.get(f"/mod/t/{t.pk}/move/")
    assert page.status_code == 200 and "我的第二版" in page.content.decode()
    r = c.post(f"/mod/t/{t.pk}/move/", {"board": mine.pk, "stub": "1"})
    assert r.status_code == 302
    assert Thread.objects.get(pk=t.pk).board == mine
    # 版主甲 moderates it there too, and may move it back
    r = c.post(f"/mod/t/{t.pk}/move/", {"board": world["board"].pk})
    assert r.status_code == 302
    assert Thread.objects.get(pk=t.pk).board == world["board"]


def test_board_moderator_moves_only_into_boards_he_moderates(world):
    """Issue 9 item 20: a 版主 may not move a thread into a board he does not moderate
    (闲聊) nor into a staff-only board; the form does not offer them."""
    c, t = client_for(world["mod"]), world["t"]
    staff = make_board("管理组", parent=world["board"].parent, view_groups=[1, 2])
    page = c.get(f"/mod/t/{t.pk}/move/").content.decode()
    assert "闲聊" not in page and "管理组" not in page
    for target in (world["other"], staff):
        r = c.post(f"/mod/t/{t.pk}/move/", {"board": target.pk})
        assert r.status_code in (400, 403)
        assert Thread.objects.get(pk=t.pk).board == world["board"]
    staff.moderators.add(world["mod"])  # a board he moderates is visible to him
    r = c.post(f"/mod/t/{t.pk}/move/", {"board": staff.pk})
    assert r.status_code == 302 and Thread.objects.get(pk=t.pk).board == staff


def test_move_permission_rule(world):
    """``check_move_thread``: board moderators only into boards they moderate and see;
    super moderators anywhere they see."""
    from django.core.exceptions import PermissionDenied

    from luntan.permissions import check_move_thread

    t = world["t"]
    with pytest.raises(PermissionDenied):
        check_move_thread(world["mod"], t, world["other"])
    check_move_thread(world["super"], t, world["other"])
    world["other"].moderators.add(world["mod"])
    check_move_thread(world["mod"], t, world["other"])


def test_merge_needs_both_boards(world):
    c = client_for(world["mod"])
    r = c.post(f"/mod/t/{world['t'].pk}/merge/", {"other": f"/t/{world['t2'].pk}/"})
    assert r.status_code == 403
    c = client_for(world["super"])
    r = c.post(f"/mod/t/{world['t'].pk}/merge/", {"other": f"/t/{world['t2'].pk}/"})
    assert r.status_code == 302
    assert MergedThread.objects.filter(source_id=world["t2"].pk).exists()
    # the old address of the merged thread redirects to the thread it joined
    r = c.get(f"/t/{world['t2'].pk}/")
    assert r.status_code == 301 and r["Location"] == f"/t/{world['t'].pk}/"


def test_split_from_ticked_floors(world):
    c, t = client_for(world["mod"]), world["t"]
    third = Post.objects.get(thread=t, floor=3)
    r = c.post(f"/mod/t/{t.pk}/posts/", {"action": "split", "post": [third.pk], "subject": "新"})
    new = Thread.objects.exclude(pk__in=[t.pk, world["t2"].pk]).get()
    assert r.status_code == 302 and r["Location"] == f"/t/{new.pk}/"
    assert new.subject == "新" and Post.objects.get(pk=third.pk).floor == 1


def test_post_tools_and_foreign_posts(world):
    c, t = client_for(world["mod"]), world["t"]
    second = Post.objects.get(thread=t, floor=2)
    foreign = Post.objects.get(thread=world["t2"], floor=1)
    assert c.post(f"/mod/p/{second.pk}/ban/").status_code == 302
    assert c.post(f"/mod/p/{second.pk}/warn/", {"reason": "注意"}).status_code == 302
    assert c.post(f"/mod/p/{second.pk}/delete/").status_code == 302
    assert c.post(f"/mod/p/{second.pk}/restore/").status_code == 302
    assert c.post(f"/mod/p/{foreign.pk}/delete/").status_code == 403
    assert c.post(f"/mod/p/{second.pk}/approve/").status_code == 400
    r = c.post(f"/mod/t/{t.pk}/posts/", {"action": "delete", "post": [foreign.pk]})
    assert r.status_code == 400
    assert Post.objects.get(pk=foreign.pk).state == Post.State.VISIBLE


def test_recycle_bin_lists_and_restores(world):
    c, t = client_for(world["mod"]), world["t"]
    assert c.post(f"/mod/t/{t.pk}/recycle/").status_code == 302
    page = client_for(world["mod"]).get("/mod/recyclebin/").content.decode()
    assert "主题" in page and f"/mod/t/{t.pk}/restore/" in page
    assert "别的主题" not in client_for(world["other_mod"]).get("/mod/recyclebin/").content.decode()
    r = c.post(f"/mod/t/{t.pk}/restore/", {"next": "/mod/recyclebin/"})
    assert r.status_code == 302 and r["Location"] == "/mod/recyclebin/"
    assert Thread.objects.get(pk=t.pk).state == Thread.State.NORMAL


def test_queue_reports_and_log_pages(world):
    t = world["t"]
    third = Post.objects.get(thread=t, floor=3)
    Post.objects.filter(pk=third.pk).update(state=Post.State.PENDING)
    for who in ("mod", "super"):
        assert "第三楼" in client_for(world[who]).get("/mod/queue/").content.decode()
    assert "第三楼" not in client_for(world["other_mod"]).get("/mod/queue/").content.decode()
    assert client_for(world["member"]).get("/mod/queue/").status_code == 403
    assert client_for(None).get("/mod/queue/").status_code == 302

    second = Post.objects.get(thread=t, floor=2)
    member = client_for(world["member"])
    assert member.get(f"/mod/p/{second.pk}/report/").status_code == 200
    assert member.post(f"/mod/p/{second.pk}/report/", {"reason": "广告"}).status_code == 302
    assert member.post(f"/mod/p/{second.pk}/report/", {"reason": "广告"}).status_code == 400
    assert client_for(None).post(f"/mod/p/{second.pk}/report/").status_code == 302
    assert Report.objects.count() == 1
    report = Report.objects.get()
    assert "广告" in client_for(world["mod"]).get("/mod/reports/").content.decode()
    assert "广告" not in client_for(world["other_mod"]).get("/mod/reports/").content.decode()
    assert (
        client_for(world["other_mod"]).post(f"/mod/reports/{report.pk}/resolve/").status_code == 404
    )
    r = client_for(world["mod"]).post(f"/mod/reports/{report.pk}/resolve/", {"note": "已警告"})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.resolved_at is not None

    client_for(world["mod"]).post(f"/mod/t/{t.pk}/close/", {"reason": "结贴"})
    log = client_for(world["mod"]).get("/mod/log/").content.decode()
    assert "结贴" in log and "版主甲" in log
    assert "结贴" not in client_for(world["other_mod"]).get("/mod/log/").content.decode()
    assert "结贴" in client_for(world["super"]).get("/mod/log/").content.decode()


def test_admin_group_moderates_everywhere(world):
    admin = make_user("管理员", group_id=UserGroup.ADMIN)
    assert client_for(admin).post(f"/mod/t/{world['t2'].pk}/close/").status_code == 302


def test_moderator_delete_from_the_posting_page_is_logged(world):
    second = Post.objects.get(thread=world["t"], floor=2)
    r = client_for(world["mod"]).post(f"/p/{second.pk}/delete/")
    assert r.status_code == 302
    entry = AuditLog.objects.get()
    assert entry.action == "delete_post" and entry.target_id == second.pk
    own = Post.objects.get(thread=world["t"], floor=3)
    client_for(own.author).post(f"/p/{own.pk}/delete/")
    assert Post.objects.get(pk=own.pk).state == Post.State.DELETED
    assert AuditLog.objects.count() == 1  # an author deleting their own reply is not moderation


def test_admin_lists_load(world):
    admin = make_user("站长", is_staff=True, is_superuser=True)
    client_for(world["mod"]).post(f"/mod/t/{world['t'].pk}/close/")
    c = client_for(admin)
    for url in (
        "/admin/moderation/auditlog/",
        "/admin/moderation/report/",
        "/admin/moderation/warning/",
    ):
        assert c.get(url).status_code == 200
    assert c.get("/admin/moderation/auditlog/add/").status_code == 403


def test_thread_history_is_public_without_ip(world):
    t = world["t"]
    client_for(world["mod"]).post(f"/mod/t/{t.pk}/close/", {"reason": "已解决"})
    second = Post.objects.get(thread=t, floor=2)
    client_for(world["mod"]).post(f"/mod/p/{second.pk}/ban/")  # post-level: not listed
    html = client_for(None).get(f"/mod/t/{t.pk}/history/").content.decode()
    assert "版主甲" in html and "关闭" in html and "已解决" in html
    assert "127.0.0.1" not in html and "屏蔽帖子" not in html
    assert f"/mod/t/{t.pk}/history/" in client_for(None).get(f"/t/{t.pk}/").content.decode()
    services_recycle = client_for(world["mod"]).post(f"/mod/t/{t.pk}/recycle/")
    assert services_recycle.status_code == 302
    assert client_for(None).get(f"/mod/t/{t.pk}/history/").status_code == 404


def test_moving_into_a_hidden_board_hides_the_thread(world, django_capture_on_commit_callbacks):
    from luntan import search
    from luntan.search.service import SearchRequest, search_posts

    t = world["t"]
    hidden = make_board("后台", parent=world["board"].parent, is_hidden=True)
    search.index_threads([t.pk])
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(world["super"]).post(f"/mod/t/{t.pk}/move/", {"board": hidden.pk})
    assert r.status_code == 302
    listing = client_for(None).get(f"/f/{world['board'].pk}/").content.decode()
    assert f'href="/t/{t.pk}/"' not in listing
    assert client_for(world["member"]).get(f"/t/{t.pk}/").status_code == 404
    found = search_posts(SearchRequest(q="第二楼"), world["member"])
    assert t.pk not in {h.post.thread_id for h in found.hits}
    found = search_posts(SearchRequest(q="第二楼"), world["super"])
    assert t.pk in {h.post.thread_id for h in found.hits}


def test_toolbar_field_names_and_reason(world):
    c, t = client_for(world["mod"]), world["t"]
    r = c.post(f"/mod/t/{t.pk}/stick/", {"sticky": "2", "digest": "1", "reason": "公告"})
    assert r.status_code == 302
    t.refresh_from_db()
    assert (t.sticky, t.digest) == (2, 0)
    assert AuditLog.objects.get().reason == "公告"
    assert c.post(f"/mod/t/{t.pk}/digest/", {"sticky": "2", "digest": "3"}).status_code == 302
    t.refresh_from_db()
    assert t.digest == 3


def test_an_english_moderator_reads_the_action_name_in_english(world):
    """Action names are translated per request, not frozen at import ("Done: 关闭")."""
    t = world["t"]
    chinese = client_for(world["mod"])
    english = client_for(world["super"])
    english.cookies["django_language"] = "en"
    page = chinese.post(f"/mod/t/{t.pk}/close/", follow=True).content.decode()
    assert "操作成功：关闭" in page
    page = english.post(f"/mod/t/{t.pk}/open/", follow=True).content.decode()
    assert "Done: Open" in page and "打开" not in page
