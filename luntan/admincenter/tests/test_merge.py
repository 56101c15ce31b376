"""用户 › 合并账号: the preview counts what moves; the merge moves threads, posts,
credits, private messages and favourites to the kept account, deletes the other,
rebuilds counters and credits, and is logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from luntan.accounts.groups import GroupId
from luntan.accounts.models import User
from luntan.admincenter import merge
from luntan.admincenter.tests.helpers import admin_client, make_admin
from luntan.credits.defaults import ensure_defaults
from luntan.credits.models import CreditLog, MemberCredits
from luntan.favorites import services as favorites
from luntan.favorites.models import Favorite
from luntan.moderation.models import AuditLog
from luntan.pms import services as pms
from luntan.pms.models import Message, Participant
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


def _money(user) -> int:
    row = MemberCredits.objects.filter(pk=user.pk).first()
    return row.extcredits2 if row else 0


def _two_accounts():
    ensure_defaults()
    from django.core.cache import cache

    from luntan.credits.services import RULES_CACHE_KEY

    cache.delete(RULES_CACHE_KEY)
    board = make_board("摄影")
    keep = make_user("老街摄影", group_id=GroupId.REGISTERED)
    drop = make_user("老街摄影2", group_id=GroupId.REGISTERED)
    friend = make_user("朋友", group_id=GroupId.REGISTERED)
    own = make_thread(board=board, author=keep, subject="保留账号的主题")
    old = make_thread(board=board, author=drop, subject="旧账号的主题")
    make_reply(own, author=drop, body="旧账号的回复")
    favorites.add_favorite(drop, thread=own)
    favorites.add_favorite(keep, thread=own)  # the same favourite: not doubled
    favorites.add_favorite(drop, thread=old)
    pms.send_message(friend, "你好", recipients=[drop])
    pms.send_message(drop, "我是小号", recipients=[keep])
    return board, keep, drop, friend, own, old


def test_preview_counts_then_merge_moves_everything_and_deletes_the_other():
    board, keep, drop, friend, own, old = _two_accounts()
    assert _money(keep) == 2 and _money(drop) == 2 + 1  # thread + reply
    admin = make_admin()
    preview = merge.merge_preview(keep, drop, actor=admin)
    assert (preview.threads, preview.posts, preview.favorites) == (1, 2, 2)
    assert preview.conversations == 2 and preview.credit_rows >= 2
    assert User.objects.filter(pk=drop.pk).exists()  # a preview writes nothing

    merge.merge_members(keep, drop, actor=admin, ip="10.0.0.1")
    assert not User.objects.filter(pk=drop.pk).exists()
    keep = User.objects.get(pk=keep.pk)
    assert Thread.objects.get(pk=old.pk).author_id == keep.pk
    assert Thread.objects.get(pk=old.pk).author_name == "老街摄影"
    reply = Post.objects.get(thread=own, floor=2)
    assert (reply.author_id, reply.author_name) == (keep.pk, "老街摄影")
    assert (keep.threads, keep.posts) == (2, 3)
    assert _money(keep) == 2 + 2 + 1
    assert CreditLog.objects.filter(user=keep, action="reply").count() == 1
    assert set(Favorite.objects.filter(user=keep).values_list("thread_id", flat=True)) == {
        own.pk,
        old.pk,
    }
    # Both PM conversations are the kept account's now; theirs with each other stays once.
    assert Participant.objects.filter(user=keep).count() == 2
    assert Message.objects.filter(author=keep, source="我是小号").exists()
    assert pms.list_conversations(friend).get().conversation.participants.filter(user=keep).exists()
    log = AuditLog.objects.get(action="merge_member")
    assert log.target_id == keep.pk and log.before["name"] == "老街摄影2"
    assert log.after["into"] == "老街摄影" and log.after["threads"] == 1
    assert log.ip == "10.0.0.1"


def test_refusals():
    admin = make_admin()
    member = make_user("会员甲")
    with pytest.raises(ValidationError):
        merge.merge_preview(member, member, actor=admin)
    with pytest.raises(ValidationError):
        merge.merge_members(member, admin, actor=admin)  # an administrator is not merged away
    assert User.objects.filter(pk=admin.pk).exists()


def test_page_previews_then_merges_with_confirmation():
    board, keep, drop, friend, own, old = _two_accounts()
    client = admin_client()
    url = f"/admin-center/members/{drop.pk}/"
    html = client.get(url, {"merge_into": "老街摄影"}).content.decode()
    assert "将把 老街摄影2 合并到 老街摄影" in html and "2 个帖子" in html
    assert "没有找到会员" in client.get(url, {"merge_into": "无此人"}).content.decode()
    response = client.post(url, {"op": "merge", "into": keep.pk}, follow=True)
    assert "请勾选确认合并" in response.content.decode()
    assert User.objects.filter(pk=drop.pk).exists()
    response = client.post(url, {"op": "merge", "into": keep.pk, "confirm": "yes"})
    assert response["Location"] == f"/admin-center/members/{keep.pk}/"
    assert not User.objects.filter(pk=drop.pk).exists()
    client.cookies["django_language"] = "en"
    page = client.get(f"/admin-center/members/{keep.pk}/", {"merge_into": "朋友"})
    assert "Merge accounts" in page.content.decode()
    assert "will be merged into" in page.content.decode()


def test_merge_keeps_the_merged_accounts_board_access_denials(client):
    """A 访问权限 deny given to the merged-away account now binds the kept one: the board
    it shut is still shut to the person after the merge."""
    from luntan.boards.access import set_board_access

    admin = make_admin()
    board = make_board("内部讨论")
    thread = make_thread(board=board)
    keep, drop = make_user("保留账号"), make_user("合并账号")
    set_board_access(board, drop, {"allow_view": -1}, by=admin)
    client.force_login(keep)
    assert client.get(f"/t/{thread.pk}/").status_code == 200
    merge.merge_members(keep, drop, actor=admin)
    keep.refresh_from_db()
    assert keep.board_access_masks
    client.force_login(keep)
    assert client.get(f"/t/{thread.pk}/").status_code == 404
