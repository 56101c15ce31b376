"""Import the board tree, thread types and moderators.

Sources: ``forum_forum`` (``type`` group → category, forum → board, sub → sub-board;
``fup`` → parent; ``name``; ``displayorder``; ``status`` 0 → hidden, 3 → a 群组 (group
feature) forum, not imported), ``forum_forumfield`` (``description``, ``rules``,
``redirect``, serialized ``threadtypes``, ``viewperm`` → ``view_groups``,
``postperm``/``replyperm``/``getattachperm``/``postattachperm`` → ``post_groups``/
``reply_groups``/``download_groups``/``upload_groups``, ``password`` hashed),
``forum_threadclass`` (the thread types) and
``forum_moderator`` (moderators named on the board itself, ``inherited = 0``).
"""

from __future__ import annotations

from typing import TypedDict

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from luntan.accounts.models import User
from luntan.boards.models import Board, ThreadType

from .convert import parse_threadtypes, plain_name
from .source import DiscuzSource
from .upsert import TableStats, upsert

_KIND = {"group": Board.Kind.CATEGORY, "forum": Board.Kind.BOARD, "sub": Board.Kind.SUB}
_LEVEL = {"group": 0, "forum": 1, "sub": 2}
STATUS_GROUP_FEATURE = 3  # forum_forum.status 3: forums of Discuz!'s 群组 feature


class _BoardValues(TypedDict):
    """The :class:`Board` fields imported from one ``forum_forum`` row."""

    discuz_fid: int
    parent_id: int | None
    kind: str
    name: str
    description: str
    rules: str
    display_order: int
    is_hidden: bool
    redirect_url: str
    view_groups: list[int]
    post_groups: list[int]
    reply_groups: list[int]
    download_groups: list[int]
    upload_groups: list[int]
    password: str
    thread_types_required: bool
    thread_types_prefix: bool
    moderate_new_posts: bool


class _ThreadTypeValues(TypedDict):
    """The :class:`ThreadType` fields imported from one ``forum_threadclass`` row."""

    discuz_typeid: int
    board_id: int
    name: str
    display_order: int


def group_list(perm: str | bytes | None) -> list[int]:
    """Parse a Discuz! permission column such as ``viewperm`` (``"\\t1\\t2\\t3\\t"``:
    tab-separated usergroup ids; empty = every group) into sorted ids."""
    if isinstance(perm, bytes):
        perm = perm.decode("utf-8", "replace")
    return sorted({int(p) for p in (perm or "").split("\t") if p.strip().isdigit()})


def board_password(raw: str | bytes | None, board: Board | None) -> str:
    """The hashed form of a Discuz! forum password (``forum_forumfield.password``, plain
    text up to 12 characters there); a re-import keeps the stored hash when it still
    matches, so sessions that unlocked the board stay unlocked."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    if not raw:
        return ""
    if board is not None and board.password and check_password(raw, board.password):
        return board.password
    return make_password(raw)


# Board settings luntan has no per-board home for, with Discuz!'s install default.
_UNKEPT = {
    "recyclebin": (1, "boards with 回收站 off (luntan always keeps a recycle bin)"),
    "autoclose": (0, "boards with 自动关闭主题 set (not kept)"),
    "allowpostspecial": (1, "boards with other special threads allowed (polls only in luntan)"),
}


def _note_unkept(row: dict, stats: TableStats) -> None:
    for column, (default, note) in _UNKEPT.items():
        if int(row.get(column) or 0) != default:
            stats.notes[note] = stats.notes.get(note, 0) + 1


def import_boards(src: DiscuzSource, stats: TableStats) -> dict[int, int]:
    """Create or update a :class:`Board` per imported ``forum_forum`` row.

    Returns ``{fid: board pk}`` of the imported boards. Parents are written before their
    children; a board whose parent is not imported is skipped with it.
    """
    rows = src.dicts(
        src.sql(
            "SELECT f.fid, f.fup, f.type, f.name, f.status, f.displayorder, f.modnewposts, "
            "f.recyclebin, f.autoclose, f.allowpostspecial, ff.description, ff.rules, ff.redirect, ff.threadtypes, ff.viewperm, "
            "ff.postperm, ff.replyperm, ff.getattachperm, ff.postattachperm, ff.password "
            "FROM {forum_forum} f LEFT JOIN {forum_forumfield} ff ON ff.fid = f.fid "
            "ORDER BY f.fid"
        )
    )
    stats.read += len(rows)
    rows.sort(key=lambda r: (_LEVEL.get(r["type"], 3), r["fid"]))
    mapping: dict[int, int] = {}
    existing = Board.objects.in_bulk(field_name="discuz_fid")
    existing.pop(None, None)
    with transaction.atomic():
        for level in (0, 1, 2):
            values: list[_BoardValues] = []
            for row in rows:
                if _LEVEL.get(row["type"]) != level:
                    continue
                if int(row["status"]) == STATUS_GROUP_FEATURE:
                    stats.skip("群组 forums (status 3)")
                    continue
                parent = None
                if level > 0 and int(row["fup"]):
                    parent = mapping.get(int(row["fup"]))
                    if parent is None:
                        stats.skip("parent not imported")
                        continue
                types = parse_threadtypes(row["threadtypes"], src.charset)
                values.append(
                    {
                        "discuz_fid": int(row["fid"]),
                        "parent_id": parent,
                        "kind": _KIND[row["type"]],
                        "name": plain_name(row["name"], 50) or f"#{row['fid']}",
                        "description": row["description"] or "",
                        "rules": row["rules"] or "",
                        "display_order": int(row["displayorder"]),
                        "is_hidden": int(row["status"]) == 0,
                        "redirect_url": (row["redirect"] or "")[:255],
                        "view_groups": group_list(row["viewperm"]),
                        "post_groups": group_list(row["postperm"]),
                        "reply_groups": group_list(row["replyperm"]),
                        "download_groups": group_list(row["getattachperm"]),
                        "upload_groups": group_list(row["postattachperm"]),
                        "password": board_password(row["password"], existing.get(int(row["fid"]))),
                        "thread_types_required": bool(types.get("required")),
                        "thread_types_prefix": bool(types.get("prefix", True)),
                        # 发帖审核: 1 new threads, 2 threads and replies (luntan: both)
                        "moderate_new_posts": int(row["modnewposts"] or 0) > 0,
                    }
                )
                _note_unkept(row, stats)
            created = upsert(Board, "discuz_fid", values, existing, stats)
            for board in created:
                existing[board.discuz_fid] = board
            for value in values:
                mapping[value["discuz_fid"]] = existing[value["discuz_fid"]].pk
        unknown = [r for r in rows if r["type"] not in _KIND]
        if unknown:
            stats.skip("unknown forum type", len(unknown))
    return mapping


def import_thread_types(
    src: DiscuzSource, boards: dict[int, int], stats: TableStats
) -> dict[int, tuple[int, int]]:
    """Import ``forum_threadclass`` rows of imported boards.

    Returns ``{typeid: (thread type pk, board pk)}``.
    """
    mapping: dict[int, tuple[int, int]] = {}
    if not src.has("forum_threadclass"):
        return mapping
    rows = src.dicts(
        src.sql("SELECT typeid, fid, name, displayorder FROM {forum_threadclass} ORDER BY typeid")
    )
    stats.read += len(rows)
    values: list[_ThreadTypeValues] = []
    for row in rows:
        board = boards.get(int(row["fid"]))
        if board is None:
            stats.skip("board not imported")
            continue
        values.append(
            {
                "discuz_typeid": int(row["typeid"]),
                "board_id": board,
                "name": plain_name(row["name"], 30) or f"#{row['typeid']}",
                "display_order": int(row["displayorder"]),
            }
        )
    existing = ThreadType.objects.in_bulk(field_name="discuz_typeid")
    existing.pop(None, None)
    with transaction.atomic():
        for made in upsert(ThreadType, "discuz_typeid", values, existing, stats):
            existing[made.discuz_typeid] = made
    for value in values:
        found = existing[value["discuz_typeid"]]
        mapping[value["discuz_typeid"]] = (found.pk, found.board_id)
    return mapping


def import_moderators(src: DiscuzSource, boards: dict[int, int], stats: TableStats) -> None:
    """Set each imported board's moderators from ``forum_moderator`` (``inherited = 0``).

    Only adds and removes what differs; ``created``/``updated`` count boards whose
    moderator list changed.
    """
    if not src.has("forum_moderator"):
        return
    rows = src.dicts(
        src.sql(
            "SELECT uid, fid FROM {forum_moderator} WHERE inherited = 0 "
            "ORDER BY fid, displayorder, uid"
        )
    )
    stats.read += len(rows)
    users = dict(
        User.objects.filter(discuz_uid__in={int(r["uid"]) for r in rows}).values_list(
            "discuz_uid", "pk"
        )
    )
    wanted: dict[int, set[int]] = {pk: set() for pk in boards.values()}
    for row in rows:
        board, user = boards.get(int(row["fid"])), users.get(int(row["uid"]))
        if board is None or user is None:
            stats.skip("board or member not imported")
            continue
        wanted[board].add(user)
    through = Board.moderators.through
    current: dict[int, set[int]] = {pk: set() for pk in boards.values()}
    for board_id, user_id in through.objects.filter(board_id__in=list(wanted)).values_list(
        "board_id", "user_id"
    ):
        current[board_id].add(user_id)
    with transaction.atomic():
        for board_id, want in wanted.items():
            have = current[board_id]
            if want == have:
                continue
            through.objects.filter(board_id=board_id, user_id__in=have - want).delete()
            through.objects.bulk_create(
                [through(board_id=board_id, user_id=u) for u in sorted(want - have)]
            )
            stats.updated += 1
