"""Per-member board access (访问权限, Discuz! ``forum_access``): the write use cases.

:class:`~luntan.boards.models.BoardAccess` rows are read by :mod:`luntan.permissions`
(``Viewer.board_access``); they are written only here, each use case in one transaction,
keeping the member's ``board_access_masks`` flag (Discuz! ``common_member.accessmasks``)
true exactly while the member has a row, so pages ask no query for everyone else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.accounts.models import User
from luntan.boards.models import Board, BoardAccess

_VALUES = {v.value for v in BoardAccess.Value}


def _clean(values: Mapping[str, int | str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for name in BoardAccess.RIGHTS:
        raw = values.get(name, 0)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError(_("权限值无效。")) from None
        if value not in _VALUES:
            raise ValidationError(_("权限值无效。"))
        out[name] = value
    return out


def set_board_access(
    board: Board, user: User, values: Mapping[str, int | str], *, by: User | None = None
) -> BoardAccess | None:
    """Create or change ``user``'s override on ``board``.

    ``values``: ``{right: -1 | 0 | 1}`` for the names in :attr:`BoardAccess.RIGHTS`
    (missing: 0). All 0 removes the row (nothing is overridden) and returns ``None``;
    otherwise returns the row. ``by``: the administrator (kept as ``created_by``).
    Raises ``ValidationError`` for a value other than -1/0/1 or a category board."""
    clean = _clean(values)
    if board.kind == Board.Kind.CATEGORY:
        raise ValidationError(_("分区不能设置访问权限。"))
    if not any(clean.values()):
        remove_board_access(board, user)
        return None
    with transaction.atomic():
        row, _created = BoardAccess.objects.update_or_create(
            board=board,
            user=user,
            defaults={**clean, "created_by": by, "created": timezone.now()},
        )
        if not user.board_access_masks:
            User.objects.filter(pk=user.pk).update(board_access_masks=True)
            user.board_access_masks = True
    return row


def remove_board_access(board: Board, user: User) -> bool:
    """Remove ``user``'s override on ``board`` (the group rights apply again); clears
    the member's flag when it was their last one. Returns whether a row was removed."""
    with transaction.atomic():
        deleted, _rows = BoardAccess.objects.filter(board=board, user=user).delete()
        sync_masks([user.pk])
    user.board_access_masks = BoardAccess.objects.filter(user=user).exists()
    return bool(deleted)


def sync_masks(user_ids: Iterable[int]) -> None:
    """Set each member's ``board_access_masks`` to whether they have an override row
    (call inside the transaction that wrote the rows; the importer calls it per page)."""
    ids = set(user_ids)
    if not ids:
        return
    having = set(
        BoardAccess.objects.filter(user_id__in=ids).values_list("user_id", flat=True).distinct()
    )
    if having:
        User.objects.filter(pk__in=having, board_access_masks=False).update(board_access_masks=True)
    if ids - having:
        User.objects.filter(pk__in=ids - having, board_access_masks=True).update(
            board_access_masks=False
        )


__all__ = ["remove_board_access", "set_board_access", "sync_masks"]
