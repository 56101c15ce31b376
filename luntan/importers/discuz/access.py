"""Import per-member board access (访问权限, Discuz! ``forum_access``) and the admin-group
rights (管理组权限, ``common_admingroup``).

``forum_access`` (``uid``, ``fid``, ``allowview``, ``allowpost``, ``allowreply``,
``allowgetattach``, ``allowpostattach``: 1 allow, -1 refuse, 0 default) becomes one
:class:`~luntan.boards.models.BoardAccess` row per member and board, honoured by
:mod:`luntan.permissions` exactly where Discuz! reads them (board and thread pages,
posting, replying, attachments). ``allowgetimage``/``allowpostimage`` have no home in
luntan (images are attachments like any other; ``[img]`` is a usergroup right): rows
that set them are counted in the report. Rows of members or boards not imported are
skipped. A rerun changes only what changed; a row gone from Discuz! is left alone (it
may have been added in luntan's 管理中心).

``common_admingroup`` is mapped by :func:`import_admin_groups` (see its docstring).
"""

from __future__ import annotations

from django.db import transaction

from luntan.accounts.models import User, UserGroup
from luntan.boards.access import sync_masks
from luntan.boards.models import Board, BoardAccess
from luntan.permissions.groups import forget_group_rights
from luntan.permissions.modrights import DISCUZ_ADMIN_RIGHTS, DISCUZ_RIGHTS_WITHOUT_HOME

from .source import DiscuzSource
from .upsert import TableStats

#: Discuz! ``forum_access`` column → :class:`BoardAccess` field.
ACCESS_COLUMNS = {
    "allowview": "allow_view",
    "allowpost": "allow_post",
    "allowreply": "allow_reply",
    "allowgetattach": "allow_download",
    "allowpostattach": "allow_upload",
}


def _sign(value) -> int:
    value = int(value or 0)
    return 1 if value > 0 else -1 if value < 0 else 0


def import_board_access(src: DiscuzSource, stats: TableStats) -> None:
    """Import ``forum_access`` (see the module docstring) in one transaction."""
    if not src.has("forum_access"):
        return
    rows = src.dicts(
        src.sql(
            "SELECT uid, fid, allowview, allowpost, allowreply, allowgetattach, "
            "allowgetimage, allowpostattach, allowpostimage FROM {forum_access} "
            "ORDER BY fid, uid"
        )
    )
    stats.read = len(rows)
    users = dict(
        User.objects.filter(discuz_uid__in={int(r["uid"]) for r in rows}).values_list(
            "discuz_uid", "pk"
        )
    )
    boards = dict(
        Board.objects.filter(discuz_fid__in={int(r["fid"]) for r in rows})
        .exclude(kind=Board.Kind.CATEGORY)
        .values_list("discuz_fid", "pk")
    )
    wanted: dict[tuple[int, int], dict[str, int]] = {}
    for row in rows:
        user_id, board_id = users.get(int(row["uid"])), boards.get(int(row["fid"]))
        if user_id is None:
            stats.skip("member not imported")
            continue
        if board_id is None:
            stats.skip("board not imported (or a category)")
            continue
        if _sign(row["allowgetimage"]) or _sign(row["allowpostimage"]):
            note = "allowgetimage/allowpostimage not kept (no per-member image right in luntan)"
            stats.notes[note] = stats.notes.get(note, 0) + 1
        values = {field: _sign(row[column]) for column, field in ACCESS_COLUMNS.items()}
        if not any(values.values()):
            stats.skip("no right overridden (all 0)")
            continue
        wanted[(board_id, user_id)] = values
    with transaction.atomic():
        existing = {
            (a.board_id, a.user_id): a
            for a in BoardAccess.objects.filter(user_id__in={u for _b, u in wanted})
        }
        new: list[BoardAccess] = []
        changed: list[BoardAccess] = []
        for (board_id, user_id), values in wanted.items():
            found = existing.get((board_id, user_id))
            if found is None:
                new.append(BoardAccess(board_id=board_id, user_id=user_id, **values))
            elif any(getattr(found, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(found, k, v)
                changed.append(found)
        BoardAccess.objects.bulk_create(new, batch_size=1000)
        if changed:
            BoardAccess.objects.bulk_update(changed, list(BoardAccess.RIGHTS), batch_size=1000)
        sync_masks({u for _b, u in wanted})
    stats.created += len(new)
    stats.updated += len(changed)


def import_admin_groups(src: DiscuzSource, stats: TableStats) -> None:
    """Map ``common_admingroup`` onto the usergroups' moderation rights.

    ``admingid`` is the ``groupid`` of the usergroup it belongs to (1 管理员, 2 超级版主,
    3 版主, and the site's own admin groups such as 16 实习版主); each Discuz! right with
    a home in luntan (:data:`~luntan.permissions.modrights.DISCUZ_ADMIN_RIGHTS`) that is
    0 becomes a right the group lacks (``UserGroup.moderation_denied``), so a 版主 or
    超级版主 keeps exactly the powers they had (管理员 keeps every right, as luntan needs
    one group that can do everything). Rights luntan does not have
    (:data:`~luntan.permissions.modrights.DISCUZ_RIGHTS_WITHOUT_HOME`) and set for some
    group are listed in the report's notes. Groups not imported are skipped.
    """
    if not src.has("common_admingroup"):
        return
    rows = src.dicts(src.sql("SELECT * FROM {common_admingroup} ORDER BY admingid"))
    stats.read = len(rows)
    groups = UserGroup.objects.in_bulk([int(r["admingid"]) for r in rows])
    with transaction.atomic():
        for row in rows:
            group = groups.get(int(row["admingid"]))
            if group is None:
                stats.skip("usergroup not imported")
                continue
            denied: list[str] = []
            for column, right in DISCUZ_ADMIN_RIGHTS.items():
                if column in row and not int(row[column] or 0) and right not in denied:
                    denied.append(right)
            if group.pk == UserGroup.ADMIN:
                if denied:
                    note = "管理员 (group 1) keeps every right (Discuz! row limits some)"
                    stats.notes[note] = stats.notes.get(note, 0) + 1
                denied = []
            for column in DISCUZ_RIGHTS_WITHOUT_HOME:
                if int(row.get(column) or 0):
                    note = f"{column}: no per-group right in luntan (its fixed rule applies)"
                    stats.notes[note] = stats.notes.get(note, 0) + 1
            denied.sort()
            if sorted(group.moderation_denied or []) != denied:
                UserGroup.objects.filter(pk=group.pk).update(moderation_denied=denied)
                stats.updated += 1
    forget_group_rights()  # update() skips the signal that drops the cached rights


__all__ = ["ACCESS_COLUMNS", "import_admin_groups", "import_board_access"]
