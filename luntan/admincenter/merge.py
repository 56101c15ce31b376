"""用户 › 合并账号 of the 管理中心: fold one member's account into another (Discuz! X3.4
has no built-in merge; admins did it by hand in the database — UCenter's ``mergeuser``
moves the UCenter side only).

:func:`merge_preview` counts what would move; :func:`merge_members` moves it in one
transaction and deletes the merged account:

- threads, posts (with their shown author name), edit revisions, attachments and the
  moderation rows the member wrote or received (warnings, reports, log entries);
- the credit ledger (``CreditLog``): the kept account's balances are rebuilt from it, then
  ``posts``/``threads`` and the total credits and member group are recounted;
- private messages: conversations (both members in one conversation keep one place),
  messages written, blocks (a block between the two is dropped); system notices;
- favourites and follows, poll votes, notifications, ratings given, social log-ins
  (QQ 登录 then signs in to the kept account), moderator posts on boards.

A row the kept account already has an equivalent of (the same favourite, the same
conversation, a vote in the same poll, the same report) is not moved; it goes with the
merged account. Read marks, settings and the merged account's e-mail addresses go with it
too. The search index is refreshed for the moved threads after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan import search
from luntan.accounts.models import User, UserGroup
from luntan.attachments.models import Attachment
from luntan.boards.access import sync_masks
from luntan.boards.models import Board, BoardAccess
from luntan.credits.models import CreditLog, PostRating
from luntan.credits.rebuild import rebuild_member
from luntan.favorites.models import Favorite, Follow
from luntan.moderation import audit
from luntan.moderation.counts import recount_members
from luntan.moderation.models import (
    Action,
    AuditLog,
    BannedPost,
    ContentReport,
    Report,
    Warning,
)
from luntan.notifications.models import Notification
from luntan.pms.models import Block, Conversation, Message, Participant, SystemNoticeRecipient
from luntan.polls.models import PollVoter
from luntan.threads.models import Post, PostRevision, Thread


@dataclass
class MergePreview:
    """What :func:`merge_members` would move from ``drop`` to ``keep`` (counts)."""

    keep: User
    drop: User
    threads: int = 0
    posts: int = 0
    credit_rows: int = 0
    conversations: int = 0
    messages: int = 0
    favorites: int = 0
    follows: int = 0
    attachments: int = 0
    balances: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, int]:
        """The counts, for the audit log."""
        return {
            "threads": self.threads,
            "posts": self.posts,
            "credit_rows": self.credit_rows,
            "conversations": self.conversations,
            "messages": self.messages,
            "favorites": self.favorites,
            "follows": self.follows,
            "attachments": self.attachments,
        }


def _check(keep: User, drop: User, actor) -> None:
    if keep.pk == drop.pk:
        raise ValidationError(_("不能把账号合并到它自己。"), code="same")
    if drop.is_superuser or drop.group_id == UserGroup.ADMIN:
        raise ValidationError(_("不能合并掉管理员账号，请先改变其用户组。"), code="protected")
    if actor is not None and getattr(actor, "pk", None) == drop.pk:
        raise ValidationError(_("不能合并掉自己的账号。"), code="self")


def merge_preview(keep: User, drop: User, *, actor=None) -> MergePreview:
    """Count what merging ``drop`` into ``keep`` moves (nothing is written). Raises
    ``ValidationError`` as :func:`merge_members` would refuse."""
    _check(keep, drop, actor)
    balance = getattr(drop, "credit_balance", None)
    return MergePreview(
        keep=keep,
        drop=drop,
        threads=Thread.objects.filter(author=drop).count(),
        posts=Post.objects.filter(author=drop).count(),
        credit_rows=CreditLog.objects.filter(user=drop).count(),
        conversations=Participant.objects.filter(user=drop).count(),
        messages=Message.objects.filter(author=drop).count(),
        favorites=Favorite.objects.filter(user=drop).count(),
        follows=Follow.objects.filter(user=drop).count(),
        attachments=Attachment.objects.filter(uploader=drop).count(),
        balances=balance.balances() if balance is not None else {},
    )


def _move_unique(
    rows: QuerySet, field_name: str, keep: User, same: list[str], extra: Q | None = None
) -> int:
    """Give ``rows`` (the merged member's) to ``keep`` unless ``keep`` already has a row
    with the same ``same`` fields; returns how many moved (the rest stay, deleted with
    the merged account)."""
    model: type[Model] = rows.model
    taken = model._default_manager.filter(**{field_name: keep})  # type: ignore[attr-defined]
    if extra is not None:
        taken = taken.filter(extra)
    clash = Q()
    for values in taken.values(*same):
        clash |= Q(**values)
    movable = rows.exclude(clash) if clash else rows
    return movable.update(**{field_name: keep})


def merge_members(
    keep: User, drop: User, *, actor, ip: str | None = None, now: datetime | None = None
) -> MergePreview:
    """Merge ``drop`` into ``keep`` (see the module docstring) and delete ``drop``, in one
    transaction; logged as ``merge_member`` on ``keep`` with the merged name and the
    counts. Returns the preview counted inside the transaction. Raises
    ``ValidationError`` for the same account, an administrator to be merged away or
    oneself."""
    now = now or timezone.now()
    _check(keep, drop, actor)
    with transaction.atomic():
        # Lock both rows in id order (the posting services lock user rows too).
        rows = User.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk]).order_by("pk")
        locked = {u.pk: u for u in rows}
        if len(locked) != 2:
            raise ValidationError(_("会员不存在。"), code="missing")
        keep, drop = locked[keep.pk], locked[drop.pk]
        _check(keep, drop, actor)
        preview = merge_preview(keep, drop, actor=actor)
        thread_ids = list(Thread.objects.filter(author=drop).values_list("pk", flat=True))
        thread_ids += list(
            Post.objects.filter(author=drop).values_list("thread_id", flat=True).distinct()
        )
        old, new = drop.username, keep.username
        # Content: rows and the names shown with them.
        Post.objects.filter(author=drop).update(author=keep, author_name=new, form_token="")
        Thread.objects.filter(author=keep, author_name=old).update(author_name=new)
        Thread.objects.filter(author=drop).update(author=keep, author_name=new)
        Thread.objects.filter(last_poster_name=old).update(last_poster_name=new)
        Board.objects.filter(last_poster_name=old).update(last_poster_name=new)
        PostRevision.objects.filter(editor=drop).update(editor=keep)
        Attachment.objects.filter(uploader=drop).update(uploader=keep)
        # Moderation and credits.
        AuditLog.objects.filter(actor=drop).update(actor=keep)
        BannedPost.objects.filter(actor=drop).update(actor=keep)
        Warning.objects.filter(user=drop).update(user=keep)
        Warning.objects.filter(actor=drop).update(actor=keep)
        _move_unique(Report.objects.filter(reporter=drop), "reporter", keep, ["post"])
        _move_unique(
            ContentReport.objects.filter(reporter=drop), "reporter", keep, ["kind", "object_id"]
        )
        Report.objects.filter(resolved_by=drop).update(resolved_by=keep)
        ContentReport.objects.filter(resolved_by=drop).update(resolved_by=keep)
        CreditLog.objects.filter(user=drop).update(user=keep)
        _move_unique(PostRating.objects.filter(rater=drop), "rater", keep, ["post", "extcredit"])
        # Private messages.
        Participant.objects.filter(user=drop, conversation__participants__user=keep).delete()
        Participant.objects.filter(user=drop).update(user=keep)
        Message.objects.filter(author=drop).update(author=keep, author_name=new)
        Message.objects.filter(hidden_for=drop).update(hidden_for=keep)
        Conversation.objects.filter(author=drop).update(author=keep)
        Conversation.objects.filter(last_author_name=old).filter(participants__user=keep).update(
            last_author_name=new
        )
        Block.objects.filter(Q(owner=drop, blocked=keep) | Q(owner=keep, blocked=drop)).delete()
        _move_unique(Block.objects.filter(owner=drop), "owner", keep, ["blocked"])
        _move_unique(Block.objects.filter(blocked=drop), "blocked", keep, ["owner"])
        _move_unique(SystemNoticeRecipient.objects.filter(user=drop), "user", keep, ["notice"])
        # Favourites, follows, votes, notifications.
        _move_unique(
            Favorite.objects.filter(user=drop, thread__isnull=False),
            "user",
            keep,
            ["thread"],
            Q(thread__isnull=False),
        )
        _move_unique(
            Favorite.objects.filter(user=drop, board__isnull=False),
            "user",
            keep,
            ["board"],
            Q(board__isnull=False),
        )
        _move_unique(
            Follow.objects.filter(user=drop, thread__isnull=False),
            "user",
            keep,
            ["thread"],
            Q(thread__isnull=False),
        )
        _move_unique(
            Follow.objects.filter(user=drop, board__isnull=False),
            "user",
            keep,
            ["board"],
            Q(board__isnull=False),
        )
        _move_unique(PollVoter.objects.filter(user=drop), "user", keep, ["poll"])
        _move_unique(Notification.objects.filter(recipient=drop), "recipient", keep, ["post"])
        Notification.objects.filter(actor=drop).update(actor=keep)
        for board in Board.objects.filter(moderators=drop):
            board.moderators.add(keep)
        # Per-board access overrides (访问权限): the merged account's rows move where the
        # kept account has none for that board (a deny must not vanish with the merge).
        _move_unique(BoardAccess.objects.filter(user=drop), "user", keep, ["board"])
        sync_masks([keep.pk])
        _move_social_accounts(drop, keep)
        drop_pk = drop.pk
        drop.delete()
        # Counters and credits of the kept account, from the moved rows.
        rebuild_member(keep.pk)
        recount_members([keep.pk])
        audit.record(
            actor=actor,
            action=Action.MERGE_MEMBER,
            target_type="user",
            target_id=keep.pk,
            before={"name": old, "id": drop_pk},
            after={"into": new, **preview.as_dict()},
            ip=ip,
            now=now,
        )
        for tid in sorted(set(thread_ids)):
            transaction.on_commit(partial(search.reindex_thread, tid))
    return preview


def _move_social_accounts(drop: User, keep: User) -> None:
    from allauth.socialaccount.models import SocialAccount

    SocialAccount.objects.filter(user=drop).update(user=keep)
