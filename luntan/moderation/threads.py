"""Thread tools (主题管理): close/open, sticky, digest, highlight, move, merge, split,
change type, recycle and restore.

Each function is one use case in one transaction: it locks the thread row(s), refuses
what makes no sense with a ``ValidationError`` (Chinese message and a ``code``), writes,
recounts what it touched from rows (:mod:`luntan.moderation.counts`, so the counters equal
``luntan.threads.counters.rebuild_all()``), writes an :class:`~luntan.moderation.models.AuditLog`
entry with ``before``/``after`` and schedules search re-indexing with
``transaction.on_commit``. Permissions are the caller's business
(:func:`luntan.permissions.check_moderate_thread`).

Common keyword arguments: ``actor`` (the moderator, a :class:`~luntan.accounts.models.User`),
``reason`` (≤ 200 characters, stored on the log entry), ``ip`` (the actor's address) and
``now`` (aware UTC; defaults to the current time).

Discuz! X3.4 sources: ``source/include/topicadmin/topicadmin_moderate.php`` (close,
stick, digest, highlight, move, type, delete), ``topicadmin_merge.php``,
``topicadmin_split.php``, ``topicadmin_restore.php``; the notice comes from
``forum_threadmod``. A floor, once given, is never changed or given again (issue 9 item
14): posts that leave a thread by a split or a merge get new floors where they arrive,
after that thread's top floor, as new posts would (Discuz! hands out ``position`` from
``forum_postposition``); the floors they leave are gaps. Discuz!'s own split and merge
renumber ``position`` densely, which breaks its permalinks; luntan does not.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan import search
from luntan.boards.models import Board, ThreadType
from luntan.credits import services as credits
from luntan.moderation import audit, hooks
from luntan.moderation.counts import recount, thread_user_ids
from luntan.moderation.models import Action, MergedThread, MovedThread
from luntan.threads.models import FloorGap, Post, Thread

#: Highlight colours offered (Discuz! ``$_G['forum_colorarray']``, indexes 1–8).
HIGHLIGHT_PALETTE = (
    "#EE1B2E",
    "#EE5023",
    "#996600",
    "#3C9D40",
    "#2897C5",
    "#2B65B7",
    "#8F2A90",
    "#EC1282",
)
LEVELS = (0, 1, 2, 3)
#: Floors are parked above this while a thread's posts are renumbered (unique floors).
_PARK = 1_000_000_000


def _lock(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().select_related("board").get(pk=thread.pk)


def _unchanged() -> ValidationError:
    return ValidationError(_("主题状态没有变化。"), code="unchanged")


def _normal(thread: Thread) -> None:
    if thread.state != Thread.State.NORMAL:
        raise ValidationError(_("该主题不存在或已被删除。"), code="state")


def _log(thread: Thread, action: str, before: dict, after: dict, actor, reason, ip, now):
    audit.record(
        actor=actor,
        action=action,
        target_type="thread",
        target_id=thread.pk,
        thread_id=thread.pk,
        before=before,
        after=after,
        reason=reason,
        ip=ip,
        now=now,
    )


def close_thread(
    thread: Thread,
    *,
    actor,
    closed: bool = True,
    reason: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Thread:
    """Close (关闭, ``closed=True``) or open (打开) ``thread``. A closed thread takes
    replies from its moderators only. Raises ``ValidationError`` (``unchanged``) when it
    already is so."""
    now = now or timezone.now()
    with transaction.atomic():
        t = _lock(thread)
        if t.closed == closed:
            raise _unchanged()
        Thread.objects.filter(pk=t.pk).update(closed=closed)
        action = Action.CLOSE if closed else Action.OPEN
        _log(t, action, {"closed": t.closed}, {"closed": closed}, actor, reason, ip, now)
        if closed:
            hooks.content_moderated(Action.CLOSE, thread=t, actor=actor, reason=reason, now=now)
    thread.closed = closed
    return thread


def _set_level(thread, field, level, on, off, actor, reason, ip, now) -> Thread:
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = -1
    if level not in LEVELS:
        raise ValidationError(_("级别必须是 0 到 3。"), code="level")
    now = now or timezone.now()
    with transaction.atomic():
        t = _lock(thread)
        _normal(t)
        old = getattr(t, field)
        if old == level:
            raise _unchanged()
        Thread.objects.filter(pk=t.pk).update(**{field: level})
        if field == "digest" and not old and t.author_id:
            credits.award(t.author_id, "digest", board=t.board_id, related=t, now=now)
        elif field == "digest" and not level:
            credits.revoke_digest(t, now=now)  # 取消精华 gives back what 加精华 earned
        _log(t, on if level else off, {field: old}, {field: level}, actor, reason, ip, now)
    setattr(thread, field, level)
    return thread


def stick_thread(
    thread: Thread,
    *,
    actor,
    level: int | str | None,
    reason: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Thread:
    """Set the sticky level (置顶): 0 none, 1 this board (本版), 2 the category (分类),
    3 everywhere (全局). Raises ``ValidationError`` for another level, a thread not in
    state NORMAL, or no change."""
    return _set_level(thread, "sticky", level, Action.STICK, Action.UNSTICK, actor, reason, ip, now)


def digest_thread(
    thread: Thread,
    *,
    actor,
    level: int | str | None,
    reason: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Thread:
    """Set the digest level (精华 1–3; 0 removes it). Errors as :func:`stick_thread`.
    Going from no digest to a level awards the author the ``digest`` credit rule (精华
    +5 威望 by default, and the digest count); removing it gives that back
    (:func:`luntan.credits.services.revoke_digest`)."""
    return _set_level(
        thread, "digest", level, Action.DIGEST, Action.UNDIGEST, actor, reason, ip, now
    )


def highlight_thread(
    thread: Thread,
    *,
    actor,
    color: str,
    bold: bool = False,
    reason: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Thread:
    """Highlight the subject in the lists (高亮) with ``color``, one of
    :data:`HIGHLIGHT_PALETTE` (``""`` for none), and/or ``bold`` (加粗; Discuz!'s style
    bit 4). No colour and not bold removes the highlight. Raises ``ValidationError`` for
    another colour or no change."""
    color = (color or "").upper()
    bold = bool(bold)
    if color and color not in HIGHLIGHT_PALETTE:
        raise ValidationError(_("请选择列表中的颜色。"), code="color")
    now = now or timezone.now()
    with transaction.atomic():
        t = _lock(thread)
        _normal(t)
        if t.highlight.upper() == color and t.highlight_bold == bold:
            raise _unchanged()
        Thread.objects.filter(pk=t.pk).update(highlight=color, highlight_bold=bold)
        action = Action.HIGHLIGHT if color or bold else Action.UNHIGHLIGHT
        _log(
            t,
            action,
            {"highlight": t.highlight, "bold": t.highlight_bold},
            {"highlight": color, "bold": bold},
            actor,
            reason,
            ip,
            now,
        )
    thread.highlight = color
    thread.highlight_bold = bold
    return thread


def change_thread_type(
    thread: Thread,
    *,
    actor,
    thread_type: ThreadType | None,
    reason: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Thread:
    """Set the thread type (主题分类; ``None`` clears it). Raises ``ValidationError`` for
    a type of another board or no change."""
    now = now or timezone.now()
    with transaction.atomic():
        t = _lock(thread)
        if thread_type is not None and thread_type.board_id != t.board_id:
            raise ValidationError(_("主题分类不属于该版块。"), code="type")
        new_id = thread_type.pk if thread_type is not None else None
        if t.type_id == new_id:
            raise _unchanged()
        Thread.objects.filter(pk=t.pk).update(type_id=new_id)
        _log(t, Action.TYPE, {"type": t.type_id}, {"type": new_id}, actor, reason, ip, now)
    thread.type = thread_type
    return thread


def move_thread(
    thread: Thread,
    *,
    actor,
    to_board: Board,
    leave_stub: bool = False,
    reason: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Thread:
    """Move ``thread`` to ``to_board`` (移动), keeping its id, floors and posts.

    The thread type is kept when ``to_board`` has a type of the same name, else cleared.
    ``leave_stub`` leaves a :class:`MovedThread` record so the old board's list shows
    "已移动: <subject>" (Discuz! 移动后保留跳转). Both boards' counters are recounted and the
    thread re-indexed on commit. Raises ``ValidationError`` when ``to_board`` is the
    same board, a category or a link board.
    """
    if to_board.kind == Board.Kind.CATEGORY or to_board.redirect_url:
        raise ValidationError(_("不能移动到该版块。"), code="board")
    now = now or timezone.now()
    with transaction.atomic():
        t = _lock(thread)
        if t.board_id == to_board.pk:
            raise ValidationError(_("主题已在该版块。"), code="board")
        from_id = t.board_id
        new_type = None
        if t.type_id:
            name = ThreadType.objects.filter(pk=t.type_id).values_list("name", flat=True).first()
            new_type = (
                ThreadType.objects.filter(board=to_board, name=name)
                .values_list("pk", flat=True)
                .first()
            )
        Thread.objects.filter(pk=t.pk).update(board=to_board, type_id=new_type)
        MovedThread.objects.filter(thread=t, from_board=to_board).delete()
        if leave_stub:
            MovedThread.objects.get_or_create(
                thread=t, from_board_id=from_id, defaults={"created": now}
            )
        recount(board_ids=[from_id, to_board.pk])
        _log(
            t,
            Action.MOVE,
            {"board": from_id, "type": t.type_id},
            {"board": to_board.pk, "type": new_type, "stub": leave_stub},
            actor,
            reason,
            ip,
            now,
        )
        t.board = to_board
        hooks.content_moderated(Action.MOVE, thread=t, actor=actor, reason=reason, now=now)
        tid = t.pk
        transaction.on_commit(lambda: search.reindex_thread(tid))
    thread.board = to_board
    thread.type_id = new_type
    return thread


def _give_floors(thread_id: int, posts: list[Post], after: int) -> int:
    """Give ``posts`` (already moved to ``thread_id``, floors parked above
    :data:`_PARK`, in their new order) the floors ``after + 1`` … ``after + n`` and set
    the thread's ``max_floor`` to the last one; returns it. Parking first means the
    unique (thread, floor) index never sees a clash."""
    for n, p in enumerate(posts, after + 1):
        p.floor = n
    Post.objects.bulk_update(posts, ["floor"], batch_size=500)
    top = after + len(posts)
    Thread.objects.filter(pk=thread_id).update(max_floor=top)
    return top


def merge_threads(
    source: Thread,
    target: Thread,
    *,
    actor,
    reason: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Thread:
    """Merge ``source`` into ``target`` (合并主题): every post of ``source`` joins
    ``target`` on new floors after ``target``'s top floor, in post-time order (ties by
    id); ``target``'s own floors, OP, author, start time, subject, board and type do not
    change (a floor is never changed or reused; ``/p/<id>/`` finds a joined post on its
    new floor). ``source`` goes to
    the recycle bin with a :class:`MergedThread` record, so ``/t/<source id>/``
    redirects to ``target``. Both threads' and boards' counters and the authors'
    counters are recounted; ``target`` is re-indexed on commit.
    Raises ``ValidationError`` for the same thread or a thread not in state NORMAL.
    """
    if source.pk == target.pk:
        raise ValidationError(_("不能与自身合并。"), code="same")
    now = now or timezone.now()
    with transaction.atomic():
        first, second = sorted([source, target], key=lambda t: t.pk)
        locked = {t.pk: _lock(t) for t in (first, second)}
        src, dst = locked[source.pk], locked[target.pk]
        _normal(src)
        _normal(dst)
        users = thread_user_ids([src.pk, dst.pk])
        joining = list(
            Post.objects.filter(thread=src).only("id", "floor").order_by("created", "id")
        )
        Post.objects.filter(thread=src).update(thread=dst, floor=F("floor") + _PARK)
        n = _give_floors(dst.pk, joining, dst.max_floor)
        Thread.objects.filter(pk=src.pk).update(state=Thread.State.RECYCLED, replies=0)
        credits.move_thread_earnings(src, dst, now=now)  # the OP award follows its posts
        MergedThread.objects.update_or_create(source_id=src.pk, defaults={"target": dst})
        MergedThread.objects.filter(target_id=src.pk).update(target=dst)
        recount([src.pk, dst.pk], [src.board_id, dst.board_id], users)
        after = {"merged_into": dst.pk, "floors": n}
        _log(dst, Action.MERGE, {"source": src.pk}, after, actor, reason, ip, now)
        audit.record(
            actor=actor,
            action=Action.MERGE,
            target_type="thread",
            target_id=src.pk,
            thread_id=src.pk,
            before={"state": src.state, "board": src.board_id},
            after={"state": Thread.State.RECYCLED, **after},
            reason=reason,
            ip=ip,
            now=now,
        )
        dst_id = dst.pk
        transaction.on_commit(lambda: search.reindex_thread(dst_id))
    target.refresh_from_db()
    return target


def split_thread(
    thread: Thread,
    post_ids: Iterable[int],
    *,
    actor,
    subject: str = "",
    reason: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Thread:
    """Split the posts ``post_ids`` of ``thread`` into a new thread in the same board
    (分割主题). The earliest selected post (by floor) becomes the new thread's OP on floor
    1, the others follow in floor order (floors 1…k of the new thread); the posts left
    behind keep their floors and the old thread keeps its top floor (``max_floor``), so
    no floor number is ever changed or given twice — the old thread has gaps where the
    moved posts were (recorded as :class:`~luntan.threads.models.FloorGap` rows, so pages
    still count only the floors a viewer sees). ``subject`` (≤ 80
    characters) defaults to the old subject. Counters of both threads, the board and the
    authors are recounted; both threads are re-indexed on commit. Returns the new thread.
    Raises ``ValidationError`` when nothing is selected, a post is not in the thread,
    floor 1 is selected (the OP stays; Discuz! splits replies only), or the first
    selected post is not visible.
    """
    ids = {int(i) for i in post_ids}
    if not ids:
        raise ValidationError(_("请选择要分割的帖子。"), code="empty")
    subject = " ".join((subject or "").split())
    if len(subject) > 80:
        raise ValidationError(_("标题不能超过 80 个字符。"), code="subject")
    now = now or timezone.now()
    with transaction.atomic():
        t = _lock(thread)
        _normal(t)
        chosen = list(
            Post.objects.filter(thread=t, pk__in=ids)
            .exclude(state=Post.State.PENDING)
            .order_by("floor")
        )
        if len(chosen) != len(ids):
            raise ValidationError(_("所选帖子不属于该主题。"), code="posts")
        if chosen[0].floor == 1:
            raise ValidationError(_("不能分割楼主帖。"), code="op")
        if chosen[0].state != Post.State.VISIBLE:
            raise ValidationError(_("新主题的第一帖不能是已删除的帖子。"), code="deleted")
        op = chosen[0]
        new = Thread.objects.create(
            board_id=t.board_id,
            type_id=t.type_id,
            subject=subject or t.subject,
            author_id=op.author_id,
            author_name=op.author_name,
            is_anonymous=op.is_anonymous,
            created=op.created,
            last_post_at=op.created,
            last_poster_name=op.author_name,
        )
        left = [p.floor for p in chosen]  # now empty floors of the old thread: gaps
        Post.objects.filter(pk__in=ids).update(thread=new, floor=F("floor") + _PARK)
        _give_floors(new.pk, chosen, 0)  # the floors left behind keep their numbers
        FloorGap.objects.bulk_create(
            [FloorGap(thread_id=t.pk, floor=n) for n in left], ignore_conflicts=True
        )
        users = thread_user_ids([t.pk, new.pk])
        recount([t.pk, new.pk], [t.board_id], users)
        after = {"new_thread": new.pk, "posts": sorted(ids)}
        _log(t, Action.SPLIT, {"floors": t.max_floor}, after, actor, reason, ip, now)
        _log(new, Action.SPLIT, {"from_thread": t.pk}, after, actor, reason, ip, now)
        old_id, new_id = t.pk, new.pk

        def reindex() -> None:
            search.reindex_thread(old_id)
            search.reindex_thread(new_id)

        transaction.on_commit(reindex)
    new.refresh_from_db()
    return new


def recycle_thread(
    thread: Thread,
    *,
    actor,
    reason: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Thread:
    """Delete ``thread`` into the recycle bin (删除主题 → 回收站): state RECYCLED, its
    visible posts RECYCLED (Discuz! ``displayorder = -1``); the credits its posts earned
    are given back (:func:`luntan.credits.services.revoke_thread`). Restorable with
    :func:`restore_thread`, which gives those credits back. Raises ``ValidationError``
    unless the thread is NORMAL."""
    now = now or timezone.now()
    with transaction.atomic():
        t = _lock(thread)
        _normal(t)
        users = thread_user_ids([t.pk])
        Post.objects.filter(thread=t, state=Post.State.VISIBLE).update(state=Post.State.RECYCLED)
        Thread.objects.filter(pk=t.pk).update(state=Thread.State.RECYCLED)
        credits.revoke_thread(t, now=now)  # what the thread earned is given back
        recount([t.pk], [t.board_id], users)
        _log(
            t,
            Action.RECYCLE,
            {"state": Thread.State.NORMAL},
            {"state": Thread.State.RECYCLED},
            actor,
            reason,
            ip,
            now,
        )
        hooks.content_moderated(Action.RECYCLE, thread=t, actor=actor, reason=reason, now=now)
        tid = t.pk
        transaction.on_commit(lambda: search.reindex_thread(tid))
    thread.state = Thread.State.RECYCLED
    return thread


def restore_thread(
    thread: Thread,
    *,
    actor,
    reason: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Thread:
    """Restore ``thread`` from the recycle bin (还原): state NORMAL, its RECYCLED posts
    VISIBLE again (posts deleted one by one before stay deleted); the credits recycling
    took are given back (:func:`luntan.credits.services.restore_thread_credits`). Raises
    ``ValidationError`` unless it is RECYCLED, or when it was merged into another."""
    now = now or timezone.now()
    with transaction.atomic():
        t = _lock(thread)
        if t.state != Thread.State.RECYCLED:
            raise ValidationError(_("该主题不在回收站中。"), code="state")
        if MergedThread.objects.filter(source_id=t.pk).exists():
            raise ValidationError(_("该主题已被合并，不能还原。"), code="merged")
        Post.objects.filter(thread=t, state=Post.State.RECYCLED).update(state=Post.State.VISIBLE)
        Thread.objects.filter(pk=t.pk).update(state=Thread.State.NORMAL)
        credits.restore_thread_credits(t, now=now)  # what recycling took is given back
        recount([t.pk], [t.board_id], thread_user_ids([t.pk]))
        _log(
            t,
            Action.RESTORE,
            {"state": Thread.State.RECYCLED},
            {"state": Thread.State.NORMAL},
            actor,
            reason,
            ip,
            now,
        )
        tid = t.pk
        transaction.on_commit(lambda: search.reindex_thread(tid))
    thread.state = Thread.State.NORMAL
    return thread
