"""Post tools, the review queue and reports: counters equal a rebuild, audit written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from luntan.moderation import services
from luntan.moderation.models import AuditLog, BannedPost, Report, ThreadNotice, Warning
from luntan.moderation.tests.helpers import assert_counters_rebuildable, make_super_moderator
from luntan.threads.counters import rebuild_all
from luntan.threads.models import Post, Thread
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    t = make_thread(make_board(), make_user("alice"), "主题")
    make_reply(t, make_user("bob"), "第二楼")
    make_reply(t, make_user("carol"), "第三楼")
    t.refresh_from_db()
    return t


@pytest.fixture
def mod():
    return make_super_moderator("超版")


def floor(thread, n):
    return Post.objects.get(thread=thread, floor=n)


def pending(post_or_thread):
    """Make a post (or a thread with its posts) await review, as a censor hit or a new
    member's post would be created, with counters as a rebuild gives them."""
    if isinstance(post_or_thread, Thread):
        Thread.objects.filter(pk=post_or_thread.pk).update(state=Thread.State.PENDING)
        Post.objects.filter(thread=post_or_thread).update(state=Post.State.PENDING)
    else:
        Post.objects.filter(pk=post_or_thread.pk).update(state=Post.State.PENDING)
    rebuild_all()


def test_delete_and_restore_reply(thread, mod):
    services.delete_post(floor(thread, 3), actor=mod, reason="广告")
    thread.refresh_from_db()
    assert thread.replies == 1 and thread.last_poster_name == "bob"
    assert_counters_rebuildable()
    services.restore_post(floor(thread, 3), actor=mod)
    thread.refresh_from_db()
    assert thread.replies == 2 and thread.last_poster_name == "carol"
    assert_counters_rebuildable()
    log = list(AuditLog.objects.order_by("pk").values_list("action", "before", "after"))
    assert log == [
        ("delete_post", {"state": 0}, {"state": -5}),
        ("restore_post", {"state": -5}, {"state": 0}),
    ]
    with pytest.raises(ValidationError):
        services.restore_post(floor(thread, 3), actor=mod)


def test_ban_and_unban(thread, mod):
    post = floor(thread, 2)
    services.ban_post(post, actor=mod, reason="不当内容")
    assert BannedPost.objects.filter(post=post).exists()
    with pytest.raises(ValidationError):
        services.ban_post(post, actor=mod)
    services.ban_post(post, actor=mod, banned=False)
    assert not BannedPost.objects.exists()
    assert_counters_rebuildable()
    assert list(AuditLog.objects.values_list("action", flat=True)) == ["ban_post", "unban_post"]


def test_warn_once_per_post(thread, mod):
    post = floor(thread, 2)
    services.warn_author(post, actor=mod, reason="人身攻击")
    assert Warning.objects.get().user_id == post.author_id
    with pytest.raises(ValidationError):
        services.warn_author(post, actor=mod)
    entry = AuditLog.objects.get(action="warn")
    assert entry.target_type == "user" and entry.after == {"post": post.pk, "warnings": 1}


def test_approve_pending_reply(thread, mod):
    pending(floor(thread, 3))
    thread.refresh_from_db()
    assert thread.replies == 1
    services.approve_post(floor(thread, 3), actor=mod)
    thread.refresh_from_db()
    assert thread.replies == 2 and thread.last_poster_name == "carol"
    assert_counters_rebuildable()
    with pytest.raises(ValidationError):
        services.approve_post(floor(thread, 3), actor=mod)


def test_reject_pending_reply(thread, mod):
    pending(floor(thread, 3))
    services.reject_post(floor(thread, 3), actor=mod, reason="广告")
    assert floor(thread, 3).state == Post.State.DELETED
    assert AuditLog.objects.get().reason == "广告"
    assert_counters_rebuildable()


def test_approve_and_reject_pending_thread(mod):
    board = make_board()
    t = make_thread(board, make_user("new"), "新人主题")
    pending(t)
    board.refresh_from_db()
    assert board.threads == 0
    services.approve_post(floor(t, 1), actor=mod)
    t.refresh_from_db()
    board.refresh_from_db()
    assert t.state == Thread.State.NORMAL and board.threads == 1 and board.last_thread_id == t.pk
    assert ThreadNotice.objects.get(thread=t).action == "approve"
    assert_counters_rebuildable()
    t2 = make_thread(board, make_user("new2"), "第二个新人主题")
    pending(t2)
    services.reject_post(floor(t2, 1), actor=mod, reason="重复")
    assert Thread.objects.get(pk=t2.pk).state == Thread.State.RECYCLED
    assert_counters_rebuildable()


def test_report_once_and_resolve(thread, mod):
    member = make_user("dave")
    post = floor(thread, 2)
    report = services.report_post(post, reporter=member, reason="广告")
    with pytest.raises(ValidationError):
        services.report_post(post, reporter=member, reason="再举报")
    with pytest.raises(ValidationError):
        services.report_post(floor(thread, 3), reporter=member, reason="   ")
    assert services.resolve_reports([report], actor=mod, note="已删除") == 1
    assert services.resolve_reports([report], actor=mod, note="again") == 0
    report.refresh_from_db()
    assert report.resolved_by == mod and report.note == "已删除"
    assert Report.objects.count() == 1
    assert AuditLog.objects.get().action == "resolve_report"


def test_approval_and_digest_award_credits_recycle_gives_them_back(thread, mod):
    from luntan.credits.models import CreditLog

    third = floor(thread, 3)
    pending(third)
    services.approve_post(third, actor=mod)
    # one award when the factory wrote it visible, one for the approval
    assert CreditLog.objects.filter(user_id=third.author_id, action="reply").count() == 2
    services.digest_thread(thread, actor=mod, level=1)
    assert CreditLog.objects.filter(user_id=thread.author_id, action="digest").count() == 1
    services.digest_thread(thread, actor=mod, level=0)
    assert CreditLog.objects.filter(user_id=thread.author_id, action="undigest").count() == 1
    services.recycle_thread(thread, actor=mod)
    assert CreditLog.objects.filter(action="revoke").exists()
    assert_counters_rebuildable()


def test_banned_post_leaves_search_and_cannot_be_quoted(
    thread, mod, django_capture_on_commit_callbacks
):
    from django.test import Client

    from luntan import search
    from luntan.search.service import SearchRequest, search_posts

    second = floor(thread, 2)
    search.index_threads([thread.pk])

    def found() -> bool:
        hits = search_posts(SearchRequest(q="第二楼"), None).hits
        return second.pk in {h.post.pk for h in hits}

    assert found()
    with django_capture_on_commit_callbacks(execute=True):
        services.ban_post(second, actor=mod)
    assert not found()
    c = Client()
    c.force_login(make_user("quoter"))
    page = c.get(f"/t/{thread.pk}/reply/?quote={second.pk}").content.decode()
    assert "第二楼" not in page
    with django_capture_on_commit_callbacks(execute=True):
        services.ban_post(second, actor=mod, banned=False)
    assert found()
    assert "第二楼" in c.get(f"/t/{thread.pk}/reply/?quote={second.pk}").content.decode()
