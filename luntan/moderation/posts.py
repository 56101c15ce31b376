"""Post tools (帖子管理), the review queue (审核) and reports (举报).

Same conventions as :mod:`luntan.moderation.threads`: one transaction per use case,
counters recounted from rows, an :class:`~luntan.moderation.models.AuditLog` entry per
moderator action, search re-indexed on commit, ``ValidationError`` with a Chinese
message and a ``code`` for what can't be done. Discuz! X3.4 sources:
``topicadmin_delpost.php``, ``topicadmin_banpost.php`` (屏蔽: ``forum_post.status``),
``topicadmin_warn.php`` (``forum_warning``), ``source/admincp/admincp_moderate.php``
(审核), ``source/module/misc/misc_report.php`` (``common_report``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan import search
from luntan.credits import services as credits
from luntan.moderation import audit, hooks
from luntan.moderation.counts import recount, thread_user_ids
from luntan.moderation.models import Action, BannedPost, ContentReport, Report, Warning
from luntan.threads import posting
from luntan.threads.models import Post, Thread


def _clean(reason: str) -> str:
    return " ".join((reason or "").split())[:200]


def _lock_pending(post: Post) -> tuple[Thread, Post]:
    """Lock ``post``'s thread and re-read the post inside the caller's transaction;
    raise ``ValidationError`` unless the post is still awaiting review."""
    thread = Thread.objects.select_for_update().get(pk=post.thread_id)
    locked = Post.objects.get(pk=post.pk)
    if locked.state != Post.State.PENDING:
        raise ValidationError(_("该帖不在审核队列中。"), code="state")
    return thread, locked


def _log_post(post: Post, action, before, after, actor, reason, ip, now) -> None:
    audit.record(
        actor=actor,
        action=action,
        target_type="post",
        target_id=post.pk,
        thread_id=post.thread_id,
        before=before,
        after=after,
        reason=reason,
        ip=ip,
        now=now,
    )


def delete_post(
    post: Post, *, actor, reason: str = "", ip: str | None = None, now: datetime | None = None
) -> Post:
    """Delete ``post`` as a moderator (删除帖子) through the posting pipeline
    (:func:`luntan.threads.posting.delete` with ``Trust.MODERATOR``: a reply becomes
    DELETED; the OP takes its thread to the recycle bin); the pipeline's after-delete hook
    (:func:`luntan.moderation.posting_hooks.log_delete`) writes the log entry."""
    request = posting.DeleteRequest(
        post=post,
        actor=actor,
        trust=posting.Trust.MODERATOR,
        reason=_clean(reason),
        ip=ip,
        now=now or timezone.now(),
    )
    return posting.delete(request)


def restore_post(
    post: Post, *, actor, reason: str = "", ip: str | None = None, now: datetime | None = None
) -> Post:
    """Restore a deleted reply (恢复帖子): DELETED → VISIBLE; the credits the delete took
    are given back (:func:`luntan.credits.services.restore_post_credits`); thread, board
    and author counters recounted. Raises ``ValidationError`` unless the post is DELETED in a NORMAL
    thread (restore a recycled thread with
    :func:`luntan.moderation.threads.restore_thread`)."""
    now = now or timezone.now()
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        locked = Post.objects.get(pk=post.pk)
        if locked.state != Post.State.DELETED or thread.state != Thread.State.NORMAL:
            raise ValidationError(_("该帖没有被删除。"), code="state")
        Post.objects.filter(pk=locked.pk).update(state=Post.State.VISIBLE)
        locked.state = Post.State.VISIBLE
        credits.restore_post_credits(locked, now=now)  # what the delete took comes back
        recount([thread.pk], [thread.board_id], [locked.author_id])
        _log_post(
            locked,
            Action.RESTORE_POST,
            {"state": Post.State.DELETED},
            {"state": Post.State.VISIBLE},
            actor,
            reason,
            ip,
            now,
        )
        pid = locked.pk
        transaction.on_commit(lambda: search.reindex_post(pid))
    return locked


def ban_post(
    post: Post,
    *,
    actor,
    banned: bool = True,
    reason: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Post:
    """Hide (屏蔽, ``banned=True``) or show again the content of ``post``: the floor reads
    "提示: 该帖被管理员或版主屏蔽" to everyone but moderators. Counters are unchanged
    (the post still counts, as in Discuz!). A banned post can't be quoted and leaves the
    search index (re-indexed on commit). Raises ``ValidationError`` for no change."""
    now = now or timezone.now()
    with transaction.atomic():
        exists = BannedPost.objects.select_for_update().filter(post=post).exists()
        if exists == banned:
            raise ValidationError(_("帖子状态没有变化。"), code="unchanged")
        if banned:
            BannedPost.objects.create(post=post, actor=actor, reason=_clean(reason), created=now)
        else:
            BannedPost.objects.filter(post=post).delete()
        action = Action.BAN_POST if banned else Action.UNBAN_POST
        _log_post(post, action, {"banned": exists}, {"banned": banned}, actor, reason, ip, now)
        if banned:
            thread = Thread.objects.get(pk=post.thread_id)
            hooks.content_moderated(
                Action.BAN_POST, thread=thread, post=post, actor=actor, reason=reason, now=now
            )
        pid = post.pk
        transaction.on_commit(lambda: search.reindex_post(pid))  # out of / back into search
    return post


def warn_author(
    post: Post, *, actor, reason: str = "", ip: str | None = None, now: datetime | None = None
) -> Warning:
    """Warn the author of ``post`` (警告): a :class:`Warning` record; the floor shows
    "该帖作者被警告". Raises ``ValidationError`` for a post without a member author or one
    already warned for."""
    now = now or timezone.now()
    if not post.author_id:
        raise ValidationError(_("该帖没有可以警告的作者。"), code="author")
    with transaction.atomic():
        if Warning.objects.filter(post=post).exists():
            raise ValidationError(_("该帖作者已被警告过。"), code="unchanged")
        warning = Warning.objects.create(
            post=post, user_id=post.author_id, actor=actor, reason=_clean(reason), created=now
        )
        audit.record(
            actor=actor,
            action=Action.WARN,
            target_type="user",
            target_id=post.author_id,
            thread_id=post.thread_id,
            before={},
            after={
                "post": post.pk,
                "warnings": Warning.objects.filter(user_id=post.author_id).count(),
            },
            reason=reason,
            ip=ip,
            now=now,
        )
        hooks.content_moderated(
            Action.WARN,
            thread=Thread.objects.get(pk=post.thread_id),
            post=post,
            actor=actor,
            reason=reason,
            now=now,
        )
    return warning


# --- review queue (审核) ---------------------------------------------------------------


def approve_post(
    post: Post, *, actor, reason: str = "", ip: str | None = None, now: datetime | None = None
) -> Post:
    """Approve a post awaiting review (审核通过). A pending OP approves its whole thread
    (PENDING → NORMAL); a pending reply becomes VISIBLE on the floor it was given. The
    author then earns the ``post``/``reply`` credit rule, as an unmoderated post does.
    Counters recounted; search re-indexed on commit. Raises ``ValidationError`` unless
    the post is PENDING (and, for a reply, its thread is NORMAL)."""
    now = now or timezone.now()
    with transaction.atomic():
        thread, locked = _lock_pending(post)
        if thread.state == Thread.State.PENDING:
            Post.objects.filter(thread=thread, state=Post.State.PENDING).update(
                state=Post.State.VISIBLE
            )
            Thread.objects.filter(pk=thread.pk).update(state=Thread.State.NORMAL)
            audit.record(
                actor=actor,
                action=Action.APPROVE,
                target_type="thread",
                target_id=thread.pk,
                thread_id=thread.pk,
                before={"state": Thread.State.PENDING},
                after={"state": Thread.State.NORMAL},
                reason=reason,
                ip=ip,
                now=now,
            )
            tid = thread.pk
            transaction.on_commit(lambda: search.reindex_thread(tid))
            if locked.author_id:
                credits.award(locked.author_id, "post", board=thread.board_id, related=thread)
        elif thread.state == Thread.State.NORMAL:
            Post.objects.filter(pk=locked.pk).update(state=Post.State.VISIBLE)
            if locked.author_id:
                credits.award(locked.author_id, "reply", board=thread.board_id, related=locked)
            pid = locked.pk
            transaction.on_commit(lambda: search.reindex_post(pid))
        else:
            raise ValidationError(_("该主题不存在或已被删除。"), code="thread")
        recount([thread.pk], [thread.board_id], thread_user_ids([thread.pk]))
        _log_post(
            locked,
            Action.APPROVE,
            {"state": Post.State.PENDING},
            {"state": Post.State.VISIBLE},
            actor,
            reason,
            ip,
            now,
        )
        locked.state = Post.State.VISIBLE
        hooks.post_approved(locked)
    return locked


def reject_post(
    post: Post, *, actor, reason: str = "", ip: str | None = None, now: datetime | None = None
) -> Post:
    """Reject a post awaiting review (审核拒绝) with ``reason``: a pending reply becomes
    DELETED; a pending OP sends its thread to the recycle bin (RECYCLED, with its posts),
    where a moderator may still restore it. Counters recounted (nothing visible changes).
    Raises ``ValidationError`` unless the post is PENDING."""
    now = now or timezone.now()
    with transaction.atomic():
        thread, locked = _lock_pending(post)
        if thread.state == Thread.State.PENDING:
            Post.objects.filter(thread=thread, state=Post.State.PENDING).update(
                state=Post.State.RECYCLED
            )
            Thread.objects.filter(pk=thread.pk).update(state=Thread.State.RECYCLED)
            new_state = Post.State.RECYCLED
        else:
            Post.objects.filter(pk=locked.pk).update(state=Post.State.DELETED)
            new_state = Post.State.DELETED
        recount([thread.pk], [thread.board_id], thread_user_ids([thread.pk]))
        _log_post(
            locked,
            Action.REJECT,
            {"state": Post.State.PENDING},
            {"state": new_state},
            actor,
            reason,
            ip,
            now,
        )
        locked.state = new_state
    return locked


# --- reports (举报) -----------------------------------------------------------------------


def report_post(post: Post, *, reporter, reason: str, now: datetime | None = None) -> Report:
    """A member reports ``post`` (举报) with ``reason`` (1–200 characters). One report per
    member per post. Raises ``ValidationError`` (``reason``, ``duplicate``)."""
    reason = _clean(reason)
    if not reason:
        raise ValidationError(_("请填写举报理由。"), code="reason")
    if Report.objects.filter(post=post, reporter=reporter).exists():
        raise ValidationError(_("您已经举报过该帖。"), code="duplicate")
    try:
        with transaction.atomic():
            report = Report.objects.create(
                post=post, reporter=reporter, reason=reason, created=now or timezone.now()
            )
            hooks.post_reported(report)
            return report
    except IntegrityError:
        raise ValidationError(_("您已经举报过该帖。"), code="duplicate") from None


def report_content(
    *,
    kind: str,
    object_id: int,
    author_name: str,
    excerpt: str,
    url: str,
    reporter,
    reason: str,
    now: datetime | None = None,
) -> ContentReport:
    """A member reports content outside the boards (举报; ``kind`` ``"pm"``: a private
    message) with ``reason`` (1–200 characters); ``author_name``, ``excerpt`` and ``url``
    (where staff read it) are the owning app's snapshot. One report per member per
    object. Raises ``ValidationError`` (``reason``, ``duplicate``)."""
    reason = _clean(reason)
    if not reason:
        raise ValidationError(_("请填写举报理由。"), code="reason")
    duplicate = ValidationError(_("您已经举报过该内容。"), code="duplicate")
    if ContentReport.objects.filter(kind=kind, object_id=object_id, reporter=reporter).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return ContentReport.objects.create(
                kind=kind,
                object_id=object_id,
                author_name=author_name[:32],
                excerpt=excerpt[:200],
                url=url,
                reporter=reporter,
                reason=reason,
                created=now or timezone.now(),
            )
    except IntegrityError:
        raise duplicate from None


def resolve_content_report(
    report: ContentReport, *, actor, note: str = "", now: datetime | None = None
) -> bool:
    """Mark an open :class:`ContentReport` handled with ``note``; False when it was
    handled already."""
    with transaction.atomic():
        return bool(
            ContentReport.objects.filter(pk=report.pk, resolved_at=None).update(
                resolved_at=now or timezone.now(), resolved_by=actor, note=_clean(note)
            )
        )


def resolve_reports(
    reports: Iterable[Report],
    *,
    actor,
    note: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> int:
    """Mark open ``reports`` handled (处理举报) with ``note``; returns how many. Each is
    logged. Already handled reports are skipped."""
    now = now or timezone.now()
    note = _clean(note)
    done = 0
    with transaction.atomic():
        for report in reports:
            n = Report.objects.filter(pk=report.pk, resolved_at=None).update(
                resolved_at=now, resolved_by=actor, note=note
            )
            if n:
                done += 1
                audit.record(
                    actor=actor,
                    action=Action.RESOLVE_REPORT,
                    target_type="report",
                    target_id=report.pk,
                    thread_id=None,
                    before={"resolved": False},
                    after={"resolved": True, "post": report.post_id},
                    reason=note,
                    ip=ip,
                    now=now,
                )
    return done
