"""The posting pipeline's own contract: explicit trust, the result object, held posts
written by the pipeline, quotes limited to what the thread page shows, preview rate limit."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client

from luntan.censor.models import CensorWord
from luntan.censor.services import forget_rules
from luntan.moderation import services as moderation
from luntan.moderation.models import AuditLog
from luntan.threads import posting
from luntan.threads.models import Post, Thread
from luntan.threads.posting import PostingLimits, PostInput, PostRequest, Trust
from luntan.threads.tests.factories import make_board, make_reply, make_thread, make_user

pytestmark = pytest.mark.django_db

TEXT = "这是一条足够长的帖子内容，超过十个字。"
NO_LIMITS = PostingLimits()


def test_import_trust_is_refused_by_submit_and_member_trust_by_bulk():
    thread = make_thread()
    with pytest.raises(ValueError):
        posting.submit(
            PostRequest(author=make_user(), body=PostInput(TEXT), trust=Trust.IMPORT, thread=thread)
        )
    with pytest.raises(ValueError):
        posting.import_posts([], existing={}, trust=Trust.MEMBER)


def test_a_member_post_with_a_review_word_is_held_by_the_pipeline():
    CensorWord.objects.create(find="待审词", action=CensorWord.Action.MODERATE)
    forget_rules()
    thread = make_thread()
    result = posting.submit(
        PostRequest(
            author=make_user(),
            body=PostInput(TEXT + "待审词"),
            trust=Trust.MEMBER,
            limits=NO_LIMITS,
            thread=thread,
        )
    )
    assert result.held and "审核" in result.message
    assert result.post.state == Post.State.PENDING and result.post.floor == 2
    thread.refresh_from_db()
    assert thread.replies == 0 and thread.max_floor == 2  # the floor is taken, not counted


def test_a_new_thread_held_for_review_is_pending_with_its_op():
    CensorWord.objects.create(find="待审词", action=CensorWord.Action.MODERATE)
    forget_rules()
    board = make_board()
    result = posting.submit(
        PostRequest(
            author=make_user(),
            body=PostInput(TEXT),
            trust=Trust.MEMBER,
            limits=NO_LIMITS,
            board=board,
            subject="待审词标题",
        )
    )
    assert result.held and result.thread.state == Thread.State.PENDING
    assert result.post.state == Post.State.PENDING
    board.refresh_from_db()
    assert board.threads == 0 and board.posts == 0


def test_a_repeated_token_returns_the_first_post_as_a_duplicate():
    thread = make_thread()
    author = make_user()
    request = dict(
        author=author, body=PostInput(TEXT), trust=Trust.MEMBER, limits=NO_LIMITS, thread=thread
    )
    first = posting.submit(PostRequest(**request, token="tok"))
    again = posting.submit(PostRequest(**request, token="tok"))
    assert again.duplicate and again.post.pk == first.post.pk
    assert Post.objects.filter(thread=thread).count() == 2


def test_a_banned_post_cannot_be_quoted_through_the_pipeline():
    """Quoting shows what the thread page shows: a 屏蔽 post's content is hidden there."""
    thread = make_thread()
    hidden = make_reply(thread, body="被屏蔽的内容")
    moderation.ban_post(hidden, actor=make_user(group_id=1))
    assert not posting.quotable_posts(thread).filter(pk=hidden.pk).exists()
    with pytest.raises(ValidationError) as exc:
        posting.submit(
            PostRequest(
                author=make_user(),
                body=PostInput(TEXT),
                trust=Trust.MODERATOR,
                thread=thread,
                quote=hidden,
            )
        )
    assert exc.value.code == "quote"
    assert not Post.objects.filter(source__contains="被屏蔽的内容", floor=3).exists()


def test_a_moderator_delete_is_logged_and_a_member_delete_is_not():
    thread = make_thread()
    mine = make_reply(thread)
    theirs = make_reply(thread)
    mod = make_user(group_id=1)
    posting.delete(posting.DeleteRequest(post=mine, actor=mine.author, trust=Trust.MEMBER))
    assert not AuditLog.objects.exists()
    posting.delete(
        posting.DeleteRequest(post=theirs, actor=mod, trust=Trust.MODERATOR, reason="广告")
    )
    (entry,) = AuditLog.objects.all()
    assert entry.target_id == theirs.pk and entry.reason == "广告"


def test_previews_are_rate_limited_like_posting_staff_included(settings):
    cache.clear()
    settings.LUNTAN_PREVIEW_INTERVAL = 30
    for user in (make_user(), make_user(group_id=1)):
        client = Client()
        client.force_login(user)
        first = client.post("/preview/", {"body": "[b]粗体[/b]", "format": "bbcode"})
        assert first.status_code == 200 and "<strong>粗体</strong>" in first.content.decode()
        again = client.post("/preview/", {"body": "[b]粗体[/b]", "format": "bbcode"})
        assert again.status_code == 429
        assert "预览太频繁" in again.content.decode()
        assert "<strong>" not in again.content.decode()


def test_the_preview_button_of_a_posting_form_is_rate_limited_too(settings):
    cache.clear()
    settings.LUNTAN_PREVIEW_INTERVAL = 30
    thread = make_thread()
    client = Client()
    client.force_login(make_user())
    data = {"body": "[b]粗体[/b]", "format": "bbcode", "preview": "1"}
    assert "<strong>粗体</strong>" in client.post(f"/t/{thread.pk}/reply/", data).content.decode()
    html = client.post(f"/t/{thread.pk}/reply/", data).content.decode()
    assert "预览太频繁" in html and "<strong>粗体</strong>" not in html
