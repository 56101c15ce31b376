"""论坛: the board tree's services (create, edit, order, move, merge, delete, matrix,
moderators, thread types, password), each logged; and the pages that call them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from luntan.accounts.groups import GroupId
from luntan.admincenter import boards as services
from luntan.admincenter.tests.helpers import admin_client, make_admin
from luntan.boards.models import Board, ThreadType
from luntan.moderation.models import AuditLog
from luntan.permissions.passwords import fingerprint
from luntan.threads.models import Thread
from luntan.threads.tests.factories import (
    make_board,
    make_category,
    make_reply,
    make_thread,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_create_board_takes_its_kind_from_the_parent_and_goes_last():
    admin = make_admin()
    cat = services.create_board(name="本地生活", parent=None, actor=admin)
    news = services.create_board(name="新闻", parent=cat, actor=admin)
    chat = services.create_board(name="闲聊", parent=cat, actor=admin)
    sub = services.create_board(name="图片", parent=news, actor=admin)
    assert (cat.kind, news.kind, sub.kind) == ("category", "board", "sub")
    assert chat.display_order > news.display_order
    with pytest.raises(ValidationError):
        services.create_board(name="太深", parent=sub, actor=admin)
    with pytest.raises(ValidationError):
        services.create_board(name="  ", parent=cat, actor=admin)
    assert AuditLog.objects.filter(action="board_create").count() == 4


def test_arrows_swap_siblings():
    admin = make_admin()
    cat = make_category()
    a, b, c = (make_board(n, parent=cat) for n in "ABC")
    assert services.move_board_step(c, -1, actor=admin)
    order = list(
        Board.objects.filter(parent=cat)
        .order_by("display_order", "id")
        .values_list("name", flat=True)
    )
    assert order == ["A", "C", "B"]
    assert not services.move_board_step(a, -1, actor=admin)  # already first
    assert AuditLog.objects.filter(action="board_order").count() == 1


def test_drag_puts_a_board_at_a_place_among_its_siblings():
    admin = make_admin()
    cat = make_category()
    a, b, c, d = (make_board(n, parent=cat) for n in "ABCD")

    def order():
        return "".join(
            Board.objects.filter(parent=cat)
            .order_by("display_order", "id")
            .values_list("name", flat=True)
        )

    assert services.move_board_to(d, 1, actor=admin)
    assert order() == "DABC"
    assert services.move_board_to(d, 3, actor=admin)
    assert order() == "ABDC"
    assert not services.move_board_to(d, 3, actor=admin)  # already there
    assert not services.move_board_to(d, 0, actor=admin)
    assert not services.move_board_to(d, 5, actor=admin)
    assert order() == "ABDC"
    logs = AuditLog.objects.filter(action="board_order", target_id=d.pk).order_by("pk")
    assert [(e.before, e.after) for e in logs] == [
        ({"order": 4}, {"order": 1}),
        ({"order": 1}, {"order": 3}),
    ]
    client = admin_client(admin)
    response = client.post(f"/admin-center/boards/{c.pk}/order/", {"position": "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"#board-{c.pk}")
    assert order() == "CABD"
    for bad in ("x", "-1", ""):
        assert (
            client.post(f"/admin-center/boards/{c.pk}/order/", {"position": bad}).status_code == 404
        )
    assert order() == "CABD"
    page = client.get("/admin-center/boards/").content.decode()
    assert f'data-parent="{cat.pk}"' in page and "admincenter/boards.js" in page


def test_move_board_under_another_category_and_refusals():
    admin = make_admin()
    cat1, cat2 = make_category("一"), make_category("二")
    board = make_board("新闻", parent=cat1)
    other = make_board("闲聊", parent=cat1)
    services.move_board(board, cat2, actor=admin)
    board.refresh_from_db()
    assert board.parent_id == cat2.pk and board.kind == "board"
    services.move_board(other, board, actor=admin)  # becomes a sub-board
    other.refresh_from_db()
    assert other.kind == "sub"
    with pytest.raises(ValidationError):
        services.move_board(cat1, cat2, actor=admin)  # a category
    with pytest.raises(ValidationError):
        services.move_board(board, make_board("x", parent=cat1), actor=admin)  # has a sub-board


def test_merge_moves_threads_keeps_counters_right_and_deletes_the_source():
    admin = make_admin()
    cat = make_category()
    source = make_board("旧版", parent=cat, types=("新闻", "活动"))
    target = make_board("新版", parent=cat, types=("新闻",))
    t1 = make_thread(board=source, thread_type=ThreadType.objects.get(board=source, name="活动"))
    make_reply(t1)
    make_reply(t1)
    make_thread(board=source, thread_type=ThreadType.objects.get(board=source, name="新闻"))
    make_thread(board=target)
    moved = services.merge_boards(source, target, actor=admin)
    assert moved == 2
    assert not Board.objects.filter(pk=source.pk).exists()
    target.refresh_from_db()
    assert (target.threads, target.posts) == (3, 5)
    names = set(
        Thread.objects.filter(board=target).exclude(type=None).values_list("type__name", flat=True)
    )
    assert names == {"新闻", "活动"}
    assert set(ThreadType.objects.filter(board=target).values_list("name", flat=True)) == {
        "新闻",
        "活动",
    }
    entry = AuditLog.objects.get(action="board_merge")
    assert entry.after == {"into": target.pk, "threads": 2}
    with pytest.raises(ValidationError):
        services.merge_boards(target, target, actor=admin)


def test_delete_only_an_empty_board():
    admin = make_admin()
    board = make_board("新闻")
    make_thread(board=board)
    with pytest.raises(ValidationError):
        services.delete_board(board, actor=admin)
    empty = make_board("空版块")
    services.delete_board(empty, actor=admin)
    assert not Board.objects.filter(pk=empty.pk).exists()
    assert AuditLog.objects.get(action="board_delete").before["name"] == "空版块"


def test_permissions_moderators_types_and_password():
    admin = make_admin()
    board = make_board("新闻")
    changed = services.update_board(
        board, {"post_groups": [GroupId.ADMIN, GroupId.REGISTERED], "name": "新闻中心"}, actor=admin
    )
    assert set(changed) == {"post_groups", "name"}
    board.refresh_from_db()
    assert board.post_groups == sorted([GroupId.ADMIN, GroupId.REGISTERED])
    with pytest.raises(ValidationError):
        services.update_board(board, {"threads": 5}, actor=admin)
    wang = make_user("版主小王")
    services.set_moderators(board, ["版主小王"], actor=admin)
    assert list(board.moderators.all()) == [wang]
    with pytest.raises(ValidationError):
        services.set_moderators(board, ["没有这个人"], actor=admin)
    tt = services.add_thread_type(board, "公告", actor=admin)
    with pytest.raises(ValidationError):
        services.add_thread_type(board, "公告", actor=admin)
    thread = make_thread(board=board, thread_type=tt)
    services.delete_thread_type(tt, actor=admin)
    thread.refresh_from_db()
    assert thread.type_id is None
    services.set_password(board, "secret", actor=admin)
    board.refresh_from_db()
    assert board.password and board.password != "secret" and fingerprint(board)
    log = AuditLog.objects.filter(action="board_edit").order_by("pk").last()
    assert log.after == {"password": True}  # never the password itself


def test_matrix_page_saves_checked_groups():
    client = admin_client()
    board = make_board("新闻")
    page = client.get(f"/admin-center/boards/{board.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count('name="perm-reply_groups"') >= 10
    response = client.post(
        f"/admin-center/boards/{board.pk}/",
        {
            "op": "perms",
            "perm-reply_groups": [str(GroupId.ADMIN), str(GroupId.REGISTERED), "999", "x"],
        },
    )
    assert response.status_code == 302
    board.refresh_from_db()
    assert board.reply_groups == sorted([GroupId.ADMIN, GroupId.REGISTERED])
    assert board.view_groups == []


def test_tree_page_creates_and_orders_boards():
    client = admin_client()
    cat = make_category("本地生活")
    response = client.post("/admin-center/boards/", {"name": "二手市场", "parent": str(cat.pk)})
    board = Board.objects.get(name="二手市场")
    assert response["Location"] == f"/admin-center/boards/{board.pk}/"
    tree = client.get("/admin-center/boards/").content.decode()
    assert "二手市场" in tree and "本地生活" in tree
    bad = client.post(f"/admin-center/boards/{board.pk}/", {"op": "delete"}, follow=True)
    assert "版块已删除" in bad.content.decode()


def test_members_cannot_post_to_board_pages():
    board = make_board("新闻")
    client = Client()
    client.force_login(make_user("会员"))
    assert client.post(f"/admin-center/boards/{board.pk}/", {"op": "delete"}).status_code == 403
    assert client.post("/admin-center/boards/", {"name": "x"}).status_code == 403
    assert Board.objects.filter(pk=board.pk).exists()


def test_control_characters_never_make_a_board_type_or_moderator_lookup():
    """A hand-made POST with NUL bytes: the board or type name of only control characters
    is refused as empty (it made an invisible board, and PostgreSQL refuses NUL in text:
    a 500 there), and names keep no control characters."""
    client = admin_client()
    board = make_board("新闻")
    boards = Board.objects.count()
    client.post("/admin-center/boards/", {"name": "\x00\x01"})
    assert Board.objects.count() == boards
    client.post(f"/admin-center/boards/{board.pk}/", {"op": "add_type", "type_name": "\x00"})
    client.post(f"/admin-center/boards/{board.pk}/", {"op": "add_type", "type_name": "新\x00闻"})
    assert list(ThreadType.objects.filter(board=board).values_list("name", flat=True)) == ["新闻"]
    response = client.post(
        f"/admin-center/boards/{board.pk}/", {"op": "moderators", "moderators": "\x00"}
    )
    assert response.status_code == 302
    assert not board.moderators.exists()


def test_board_credit_overrides_are_used_by_posting():
    """版块积分设置: 发表主题 in 悬赏 gives 10 金钱 (site rule: 2), 发表回复 gives nothing;
    clearing a row gives the site's amounts back."""
    from django.core.cache import cache

    from luntan.credits.defaults import ensure_defaults
    from luntan.credits.models import CreditRule, MemberCredits
    from luntan.credits.services import RULES_CACHE_KEY

    ensure_defaults()  # Discuz!'s rules (gone after another test's transactional flush)
    cache.delete(RULES_CACHE_KEY)

    def money(user) -> int:
        row = MemberCredits.objects.filter(pk=user.pk).first()
        return row.extcredits2 if row else 0

    post_rule = CreditRule.objects.get(action="post")
    reply_rule = CreditRule.objects.get(action="reply")
    rich, plain = make_board("悬赏"), make_board("闲聊")
    client = admin_client()
    page = client.get(f"/admin-center/boards/{rich.pk}/").content.decode()
    assert f'name="cr-{post_rule.pk}-2"' in page and 'placeholder="2"' in page
    response = client.post(
        f"/admin-center/boards/{rich.pk}/",
        {"op": "credits", f"cr-{post_rule.pk}-2": "10", f"cr-{reply_rule.pk}-2": "0"},
        follow=True,
    )
    assert "版块积分设置已保存" in response.content.decode()
    assert f'name="cr-{post_rule.pk}-2" value="10"' in response.content.decode()
    log = AuditLog.objects.filter(action="board_edit", target_id=rich.pk).get()
    assert log.before == {"credits": {}}
    assert log.after == {"credits": {"post": {"2": 10}, "reply": {}}}

    member = make_user("发帖人")
    thread = make_thread(board=rich, author=member)
    assert money(member) == 10
    make_reply(thread, author=member)
    assert money(member) == 10  # 发表回复 earns 0 here
    make_thread(board=plain, author=member)
    assert money(member) == 12  # the site rule elsewhere

    bad = client.post(
        f"/admin-center/boards/{rich.pk}/",
        {"op": "credits", f"cr-{post_rule.pk}-2": "十"},
        follow=True,
    )
    assert "整数" in bad.content.decode()
    assert AuditLog.objects.filter(action="board_edit", target_id=rich.pk).count() == 1
    client.post(f"/admin-center/boards/{rich.pk}/", {"op": "credits"})  # every row empty
    make_thread(board=rich, author=member)
    assert money(member) == 14
    with pytest.raises(ValidationError):
        services.set_credit_overrides(rich, {post_rule.pk: {9: 1}}, actor=make_admin("另一个"))
