"""论坛 of the 管理中心: the board tree's writes, each in a transaction and logged.

Discuz! X3.4 ``admincp_forums.php``: 添加 / 编辑 / 排序 / 移动 / 合并 / 删除 boards, the
per-board group permissions (``viewperm`` … ``postattachperm``), 主题分类, 版主 and the
access password. The tree has three levels: 分区 (category, no parent) → 版块 (board,
under a category) → 子版块 (sub-board, under a board). Every function takes the acting
administrator ``actor`` and their ``ip`` and writes one
:class:`~luntan.moderation.models.AuditLog` row (target ``board``); bad input raises
``ValidationError`` with a Chinese message and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan import search
from luntan.accounts.models import User
from luntan.boards import access as board_access
from luntan.boards.models import Board, BoardAccess, ThreadType
from luntan.core.parsing import strip_control_chars
from luntan.credits import services as credits
from luntan.credits.models import CreditRule
from luntan.moderation import audit
from luntan.moderation.counts import recount_boards
from luntan.moderation.models import Action
from luntan.permissions.passwords import set_board_password
from luntan.threads.models import Thread

#: The per-board permission lists the matrix edits, in column order (Discuz! viewperm,
#: postperm, replyperm, getattachperm, postattachperm).
PERMISSION_FIELDS = (
    "view_groups",
    "post_groups",
    "reply_groups",
    "download_groups",
    "upload_groups",
)

#: The board's own settings edited on its page (not the tree position, lists or password).
EDIT_FIELDS = (
    "name",
    "description",
    "rules",
    "is_hidden",
    "redirect_url",
    "thread_types_required",
    "thread_types_prefix",
    "moderate_new_posts",
)


def _log(action: str, board_id: int, before: dict, after: dict, actor, ip, now) -> None:
    audit.record(
        actor=actor,
        action=action,
        target_type="board",
        target_id=board_id,
        before=before,
        after=after,
        ip=ip,
        now=now or timezone.now(),
    )


def _kind_under(parent: Board | None) -> str:
    """The kind a board placed under ``parent`` takes; raises for a sub-board parent."""
    if parent is None:
        return Board.Kind.CATEGORY
    if parent.kind == Board.Kind.CATEGORY:
        return Board.Kind.BOARD
    if parent.kind == Board.Kind.BOARD:
        return Board.Kind.SUB
    raise ValidationError(_("子版块下不能再建版块。"), code="parent")


def create_board(
    *, name: str, parent: Board | None, actor, ip: str | None = None, now: datetime | None = None
) -> Board:
    """Create a board named ``name`` under ``parent`` (None: a new 分区), last among its
    siblings; its kind follows the parent (分区 → 版块 → 子版块). Raises ``ValidationError``
    for an empty name or a sub-board parent. Returns the board."""
    name = strip_control_chars(name or "").strip()
    if not name:
        raise ValidationError(_("请填写版块名称。"), code="name")
    with transaction.atomic():
        kind = _kind_under(parent)
        last = (
            Board.objects.filter(parent=parent)
            .order_by("-display_order")
            .values_list("display_order", flat=True)
            .first()
        )
        board = Board.objects.create(
            name=name[:50], parent=parent, kind=kind, display_order=(last or 0) + 1
        )
        _log(
            Action.BOARD_CREATE,
            board.pk,
            {},
            {"name": board.name, "parent": parent.pk if parent else None},
            actor,
            ip,
            now,
        )
    return board


def update_board(
    board: Board,
    values: dict[str, Any],
    *,
    actor,
    ip: str | None = None,
    now: datetime | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Set the :data:`EDIT_FIELDS` and :data:`PERMISSION_FIELDS` given in ``values`` (other
    keys are refused with ``ValidationError``) and log what changed. Permission lists are
    lists of usergroup ids (empty: the groups' own rights decide). Returns ``{field:
    (before, after)}`` of the changes (empty: nothing saved or logged)."""
    unknown = set(values) - set(EDIT_FIELDS) - set(PERMISSION_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        row = Board.objects.select_for_update().get(pk=board.pk)
        diff: dict[str, tuple[Any, Any]] = {}
        for field, value in values.items():
            if field in PERMISSION_FIELDS:
                value = sorted({int(v) for v in value})
            if getattr(row, field) != value:
                diff[field] = (getattr(row, field), value)
                setattr(row, field, value)
        if not diff:
            return {}
        if "name" in diff and not str(row.name).strip():
            raise ValidationError(_("请填写版块名称。"), code="name")
        row.save(update_fields=list(diff))
        _log(
            Action.BOARD_EDIT,
            row.pk,
            {f: b for f, (b, _a) in diff.items()},
            {f: a for f, (_b, a) in diff.items()},
            actor,
            ip,
            now,
        )
    for field, (_b, after) in diff.items():
        setattr(board, field, after)
    return diff


def set_credit_overrides(
    board: Board,
    overrides: dict[int, dict[int, int] | None],
    *,
    actor,
    ip: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Set the board's credit overrides (版块积分设置; Discuz! X3.4 ``forum_forumfield.
    creditspolicy``) through :func:`luntan.credits.services.set_board_overrides`:
    ``{rule id: {extcredit id: amount} | None}`` (None: the site's rule applies again).
    The posting pipeline then awards those amounts for posts in this board
    (:func:`luntan.credits.services.effective_deltas`). Logs ``board_edit`` with
    ``{"credits": {rule action: {extcredit id: amount}}}`` before and after. Returns False
    when nothing changed (nothing logged). Raises ``ValidationError`` (code ``credits``)
    for an unknown rule, extcredit or an amount beyond ±99999."""
    with transaction.atomic():
        Board.objects.select_for_update().filter(pk=board.pk).first()
        before = credits.board_overrides(board.pk)
        try:
            credits.set_board_overrides(board.pk, overrides)
        except ValueError as exc:
            raise ValidationError(_("积分设置有误。"), code="credits") from exc
        after = credits.board_overrides(board.pk)
        if before == after:
            return False
        actions = dict(CreditRule.objects.values_list("pk", "action"))

        def named(found: dict[int, dict[int, int]]) -> dict[str, dict[str, int]]:
            return {
                actions.get(r, str(r)): {str(i): a for i, a in sorted(v.items())}
                for r, v in sorted(found.items())
            }

        _log(
            Action.BOARD_EDIT,
            board.pk,
            {"credits": named(before)},
            {"credits": named(after)},
            actor,
            ip,
            now,
        )
    return True


def move_board_step(
    board: Board, step: int, *, actor, ip: str | None = None, now: datetime | None = None
) -> bool:
    """Move ``board`` one place up (``step`` -1) or down (+1) among its siblings (the
    arrows of the tree), through :func:`move_board_to`. Returns False when it is already
    first/last (nothing changed or logged)."""
    with transaction.atomic():
        siblings = _locked_siblings(board)
        index = next(i for i, b in enumerate(siblings) if b.pk == board.pk)
        return move_board_to(
            board, index + 1 + (1 if step > 0 else -1), actor=actor, ip=ip, now=now
        )


def _locked_siblings(board: Board) -> list[Board]:
    return list(
        Board.objects.select_for_update()
        .filter(parent_id=board.parent_id)
        .order_by("display_order", "id")
    )


def move_board_to(
    board: Board, position: int, *, actor, ip: str | None = None, now: datetime | None = None
) -> bool:
    """Put ``board`` at ``position`` (1 = first) among its siblings (same parent), the
    others keeping their order; the siblings' ``display_order`` is renumbered 1…n (Discuz!
    ``forum_forum.displayorder``). The ordering service of both the arrows and drag and
    drop of the tree. Returns False when ``position`` is outside 1…n or is where the board
    already is (nothing changed or logged); otherwise logs ``board_order`` with the old and
    new position."""
    with transaction.atomic():
        siblings = _locked_siblings(board)
        index = next(i for i, b in enumerate(siblings) if b.pk == board.pk)
        if position < 1 or position > len(siblings) or position == index + 1:
            return False
        moving = siblings.pop(index)
        siblings.insert(position - 1, moving)
        for order, sibling in enumerate(siblings, start=1):
            if sibling.display_order != order:
                Board.objects.filter(pk=sibling.pk).update(display_order=order)
        _log(
            Action.BOARD_ORDER, board.pk, {"order": index + 1}, {"order": position}, actor, ip, now
        )
    return True


def move_board(
    board: Board, new_parent: Board, *, actor, ip: str | None = None, now: datetime | None = None
) -> Board:
    """Put ``board`` (a 版块 or 子版块) under ``new_parent`` (a 分区, or a 版块 for a
    sub-board), last among its new siblings; its kind follows the parent. Raises
    ``ValidationError`` when ``board`` is a 分区, would sit under itself, or has
    sub-boards and would become one. Returns the board."""
    with transaction.atomic():
        row = Board.objects.select_for_update().get(pk=board.pk)
        if row.kind == Board.Kind.CATEGORY:
            raise ValidationError(_("分区不能移动到其他版块下。"), code="parent")
        if new_parent.pk == row.pk or new_parent.parent_id == row.pk:
            raise ValidationError(_("不能把版块移动到它自己下面。"), code="parent")
        kind = _kind_under(new_parent)
        if kind == Board.Kind.SUB and Board.objects.filter(parent=row).exists():
            raise ValidationError(_("有子版块的版块不能成为子版块。"), code="parent")
        if row.parent_id == new_parent.pk:
            return row
        before = row.parent_id
        last = (
            Board.objects.filter(parent=new_parent)
            .order_by("-display_order")
            .values_list("display_order", flat=True)
            .first()
        )
        Board.objects.filter(pk=row.pk).update(
            parent=new_parent, kind=kind, display_order=(last or 0) + 1
        )
        _log(
            Action.BOARD_MOVE, row.pk, {"parent": before}, {"parent": new_parent.pk}, actor, ip, now
        )
    board.parent, board.kind = new_parent, kind
    return board


def merge_boards(
    source: Board, target: Board, *, actor, ip: str | None = None, now: datetime | None = None
) -> int:
    """Move every thread of ``source`` into ``target`` and delete ``source`` (Discuz! 合并
    版块). Thread types are matched by name (a type ``target`` lacks is created there);
    both boards' counters are recounted from rows; the threads are re-indexed after
    commit. Raises ``ValidationError`` for a 分区, the same board twice, or a ``source``
    with sub-boards (move them first). Returns the number of threads moved."""
    if source.pk == target.pk:
        raise ValidationError(_("不能把版块合并到它自己。"), code="target")
    if Board.Kind.CATEGORY in (source.kind, target.kind):
        raise ValidationError(_("分区不能合并，请合并其中的版块。"), code="target")
    with transaction.atomic():
        src = Board.objects.select_for_update().get(pk=source.pk)
        Board.objects.select_for_update().get(pk=target.pk)
        if Board.objects.filter(parent=src).exists():
            raise ValidationError(_("请先移走该版块的子版块。"), code="source")
        type_map: dict[int, int] = {}
        theirs = {t.name: t.pk for t in ThreadType.objects.filter(board=target)}
        for t in ThreadType.objects.filter(board=src):
            if t.name not in theirs:
                theirs[t.name] = ThreadType.objects.create(
                    board=target, name=t.name, display_order=t.display_order
                ).pk
            type_map[t.pk] = theirs[t.name]
        thread_ids = list(Thread.objects.filter(board=src).values_list("pk", flat=True))
        for old, new in type_map.items():
            Thread.objects.filter(board=src, type_id=old).update(type_id=new)
        Thread.objects.filter(board=src).update(board=target)
        name = src.name
        _log(
            Action.BOARD_MERGE,
            src.pk,
            {"name": name},
            {"into": target.pk, "threads": len(thread_ids)},
            actor,
            ip,
            now,
        )
        src.delete()
        recount_boards([target.pk])
        for tid in thread_ids:
            transaction.on_commit(partial(search.reindex_thread, tid))
    return len(thread_ids)


def delete_board(
    board: Board, *, actor, ip: str | None = None, now: datetime | None = None
) -> None:
    """Delete an empty board: no threads in any state (recycled and held included) and no
    sub-boards. Raises ``ValidationError`` otherwise (merge it into another board, or move
    its sub-boards, first)."""
    with transaction.atomic():
        row = Board.objects.select_for_update().get(pk=board.pk)
        if Board.objects.filter(parent=row).exists():
            raise ValidationError(_("该版块下还有版块，不能删除。"), code="board")
        if Thread.objects.filter(board=row).exists():
            raise ValidationError(
                _("该版块还有主题（含回收站和待审核），不能删除；可以先合并到其他版块。"),
                code="board",
            )
        _log(
            Action.BOARD_DELETE,
            row.pk,
            {"name": row.name, "parent": row.parent_id},
            {},
            actor,
            ip,
            now,
        )
        row.delete()


def set_password(
    board: Board, raw: str, *, actor, ip: str | None = None, now: datetime | None = None
) -> None:
    """Set (``raw`` non-empty) or remove (empty) the board's access password (stored
    hashed, :func:`luntan.permissions.passwords.set_board_password`). The log records only
    whether a password is set, never the password."""
    with transaction.atomic():
        had = bool(Board.objects.filter(pk=board.pk).values_list("password", flat=True).first())
        set_board_password(board, raw)
        _log(
            Action.BOARD_EDIT, board.pk, {"password": had}, {"password": bool(raw)}, actor, ip, now
        )


def set_moderators(
    board: Board, names: list[str], *, actor, ip: str | None = None, now: datetime | None = None
) -> list[User]:
    """Make exactly the members named ``names`` (exact user names) the board's 版主.
    Raises ``ValidationError`` naming any unknown member. Returns the moderators."""
    wanted = [n.strip() for n in map(strip_control_chars, names) if n.strip()]
    found = {u.username: u for u in User.objects.filter(username__in=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ValidationError(
            _("没有这些会员：%(names)s") % {"names": "、".join(missing)}, code="moderators"
        )
    with transaction.atomic():
        before = sorted(board.moderators.values_list("username", flat=True))
        board.moderators.set(list(found.values()))
        after = sorted(found)
        if before != after:
            _log(
                Action.BOARD_EDIT,
                board.pk,
                {"moderators": before},
                {"moderators": after},
                actor,
                ip,
                now,
            )
    return list(found.values())


def set_member_access(
    board: Board,
    username: str,
    values: dict[str, int | str],
    *,
    actor,
    ip: str | None = None,
    now: datetime | None = None,
) -> BoardAccess | None:
    """Give the member named ``username`` (exact name) their own rights on ``board``
    (访问权限, Discuz! ``forum_access``): ``values`` ``{right: -1 | 0 | 1}`` for the names
    of :attr:`BoardAccess.RIGHTS` (all 0 removes the override). Raises
    ``ValidationError`` for an unknown member, a category or a bad value. Returns the row
    (``None`` when removed)."""
    name = strip_control_chars(username or "").strip()
    user = User.objects.filter(username=name).first() if name else None
    if user is None:
        raise ValidationError(_("没有这些会员：%(names)s") % {"names": name or "-"})
    with transaction.atomic():
        before = (
            BoardAccess.objects.filter(board=board, user=user).values(*BoardAccess.RIGHTS).first()
        )
        row = board_access.set_board_access(board, user, values, by=actor)
        after = {k: getattr(row, k) for k in BoardAccess.RIGHTS} if row else None
        _log(
            Action.BOARD_EDIT,
            board.pk,
            {"access": {user.username: before}},
            {"access": {user.username: after}},
            actor,
            ip,
            now,
        )
    return row


def remove_member_access(
    board: Board, user_id: int, *, actor, ip: str | None = None, now: datetime | None = None
) -> bool:
    """Remove the override of the member ``user_id`` on ``board`` (their group's rights
    apply again). Returns whether there was one."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    with transaction.atomic():
        removed = board_access.remove_board_access(board, user)
        if removed:
            _log(
                Action.BOARD_EDIT,
                board.pk,
                {"access": {user.username: "set"}},
                {"access": {user.username: None}},
                actor,
                ip,
                now,
            )
    return removed


def add_thread_type(
    board: Board, name: str, *, actor, ip: str | None = None, now: datetime | None = None
) -> ThreadType:
    """Add the thread type (主题分类) ``name`` to ``board``, last in order. Raises
    ``ValidationError`` for an empty or duplicate name."""
    name = strip_control_chars(name or "").strip()[:30]
    if not name:
        raise ValidationError(_("请填写分类名称。"), code="type")
    with transaction.atomic():
        if ThreadType.objects.filter(board=board, name=name).exists():
            raise ValidationError(_("该分类已存在。"), code="type")
        last = (
            ThreadType.objects.filter(board=board)
            .order_by("-display_order")
            .values_list("display_order", flat=True)
            .first()
        )
        created = ThreadType.objects.create(board=board, name=name, display_order=(last or 0) + 1)
        _log(Action.BOARD_EDIT, board.pk, {}, {"type": created.pk}, actor, ip, now)
    return created


def delete_thread_type(
    thread_type: ThreadType, *, actor, ip: str | None = None, now: datetime | None = None
) -> None:
    """Delete a thread type; its threads keep no type (the 【prefix】 goes)."""
    with transaction.atomic():
        board_id, name = thread_type.board_id, thread_type.name
        Thread.objects.filter(type=thread_type).update(type=None)
        thread_type.delete()
        _log(Action.BOARD_EDIT, board_id, {"type_name": name}, {"type_name": None}, actor, ip, now)
