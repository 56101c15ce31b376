"""Import private messages (短消息) from UCenter and system messages (系统消息) from
Discuz! X3.4 into :mod:`luntan.pms`, through its bulk services
(:func:`luntan.pms.services.import_conversations`, :func:`~luntan.pms.services.
import_messages`, :func:`~luntan.pms.services.import_system_notices`; idempotent by
Discuz! id, one transaction a page).

- ``ucenter_pm_lists`` (``plid``, ``pmtype`` 1 one-to-one / 2 group chat, ``subject``,
  ``authorid``, ``dateline``) with ``ucenter_pm_members`` (``uid``, ``isnew`` → unread,
  ``lastdateline``) → conversations and their members; members not imported are left
  out (counted), a conversation with fewer than two imported members is skipped.
- ``ucenter_pm_messages_0`` … ``_9`` (every split table present; ``plid % 10`` picks
  the table in UCenter) → messages, BBCode kept as source and rendered. ``delstatus``
  (UCenter ``uc_server/model/pm.php``): 1 — deleted by its author, 2 — deleted by the
  other member of a one-to-one conversation: hidden for that member only.
- ``ucenter_pm_indexes``: counted against the messages read; an index row without a
  message is reported as skipped.
- ``common_grouppm`` with ``common_member_grouppm`` (``status`` 1: read; -1: deleted,
  skipped) → 系统消息 shown in the recipients' inbox.
"""

from __future__ import annotations

from luntan.accounts.models import User
from luntan.core.parsing import strip_control_chars
from luntan.pms import services
from luntan.pms.models import Participant
from luntan.pms.services import ImportedConversation, ImportedMessage, ImportedNotice

from .convert import unescape_subject, unix_to_utc
from .source import DiscuzSource
from .upsert import TableStats

_LISTS_SQL = (
    "SELECT plid, authorid, pmtype, subject, dateline FROM {ucenter_pm_lists} "
    "WHERE plid > %s ORDER BY plid LIMIT %s"
)
_MEMBERS_SQL = (
    "SELECT plid, uid, isnew, lastdateline FROM {ucenter_pm_members} "
    "WHERE plid IN ({marks}) ORDER BY plid, uid"
)
_MESSAGES_SQL = (
    "SELECT pmid, plid, authorid, message, delstatus, dateline FROM {table} "
    "WHERE pmid > %s ORDER BY pmid LIMIT %s"
)
_GROUPPM_SQL = (
    "SELECT id, author, dateline, message FROM {common_grouppm} WHERE id > %s ORDER BY id LIMIT %s"
)
_MEMBER_GROUPPM_SQL = (
    "SELECT uid, gpmid, status FROM {common_member_grouppm} WHERE gpmid IN ({marks})"
)


def _users(uids) -> dict[int, tuple[int, str]]:
    """``{discuz uid: (pk, username)}`` of the imported members among ``uids``."""
    return {
        int(uid): (pk, name)
        for uid, pk, name in User.objects.filter(discuz_uid__in=set(uids)).values_list(
            "discuz_uid", "pk", "username"
        )
        if uid is not None
    }


def import_discuz_pms(src: DiscuzSource, batch: int, stats: TableStats) -> None:
    """Conversations, their members and messages (see the module doc)."""
    if not src.has("ucenter_pm_lists") or not src.has("ucenter_pm_members"):
        return
    imported_plids: set[int] = set()
    for page in src.pages(src.sql(_LISTS_SQL), "plid", batch):
        stats.read += len(page)
        plids = [int(r["plid"]) for r in page]
        marks = ", ".join(["%s"] * len(plids))
        members = src.dicts(src.sql(_MEMBERS_SQL.replace("{marks}", marks)), plids)
        stats.read += len(members)
        users = _users([int(m["uid"]) for m in members] + [int(r["authorid"]) for r in page])
        by_plid: dict[int, list[tuple[int, bool, object]]] = {}
        for m in members:
            user = users.get(int(m["uid"]))
            if user is None:
                stats.skip("pm member not imported")
                continue
            by_plid.setdefault(int(m["plid"]), []).append(
                (user[0], bool(int(m["isnew"] or 0)), unix_to_utc(m["lastdateline"]))
            )
        rows = []
        for r in page:
            plid = int(r["plid"])
            found = by_plid.get(plid, [])
            if len(found) < 2:
                stats.skip("conversation with fewer than two imported members")
                continue
            author = users.get(int(r["authorid"]))
            rows.append(
                ImportedConversation(
                    plid=plid,
                    is_group=int(r["pmtype"] or 1) == 2,
                    subject=unescape_subject(r["subject"]).strip(),
                    author_id=author[0] if author else None,
                    created=unix_to_utc(r["dateline"]),
                    members=tuple(found),  # type: ignore[arg-type]
                )
            )
            imported_plids.add(plid)
        created, updated = services.import_conversations(rows)
        stats.created += created
        stats.updated += updated
    messages_read = 0
    for n in range(10):
        name = f"ucenter_pm_messages_{n}"
        if not src.has(name):
            continue
        for page in src.pages(src.sql(_MESSAGES_SQL, table=name), "pmid", batch):
            stats.read += len(page)
            messages_read += len(page)
            users = _users(int(r["authorid"]) for r in page)
            conv_members = _members_of({int(r["plid"]) for r in page} & imported_plids)
            msgs = []
            for r in page:
                plid = int(r["plid"])
                if plid not in imported_plids:
                    stats.skip("message of a conversation not imported")
                    continue
                author = users.get(int(r["authorid"]))
                hidden_for = _hidden_for(
                    int(r["delstatus"] or 0), author[0] if author else None, conv_members.get(plid)
                )
                msgs.append(
                    ImportedMessage(
                        pmid=int(r["pmid"]),
                        plid=plid,
                        author_id=author[0] if author else None,
                        author_name=author[1] if author else "",
                        source=strip_control_chars(r["message"] or ""),
                        created=unix_to_utc(r["dateline"]),
                        hidden_for_id=hidden_for,
                    )
                )
            created, updated = services.import_messages(msgs)
            stats.created += created
            stats.updated += updated
    if src.has("ucenter_pm_indexes"):
        indexed = int(src.fetchall(src.sql("SELECT COUNT(*) FROM {ucenter_pm_indexes}"))[0][0])
        stats.read += indexed
        if indexed > messages_read:
            stats.skip("pm index row without a message", indexed - messages_read)
    services.finish_import(imported_plids)


def _members_of(plids: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for plid, uid in Participant.objects.filter(conversation__discuz_plid__in=plids).values_list(
        "conversation__discuz_plid", "user_id"
    ):
        if plid is not None:
            found.setdefault(int(plid), []).append(uid)
    return found


def _hidden_for(delstatus: int, author_id: int | None, members: list[int] | None) -> int | None:
    """The member a UCenter ``delstatus`` hides a one-to-one message from: 1 — its author,
    2 — the other member; ``None`` otherwise."""
    if delstatus == 1:
        return author_id
    if delstatus == 2 and members and len(members) == 2 and author_id in members:
        return next(uid for uid in members if uid != author_id)
    return None


def import_discuz_grouppm(src: DiscuzSource, batch: int, stats: TableStats) -> None:
    """系统消息: ``common_grouppm`` and their recipients (see the module doc)."""
    if not src.has("common_grouppm"):
        return
    recipients_table = src.has("common_member_grouppm")
    for page in src.pages(src.sql(_GROUPPM_SQL), "id", batch):
        stats.read += len(page)
        ids = [int(r["id"]) for r in page]
        links: list[dict] = []
        if recipients_table:
            marks = ", ".join(["%s"] * len(ids))
            links = src.dicts(src.sql(_MEMBER_GROUPPM_SQL.replace("{marks}", marks)), ids)
            stats.read += len(links)
        users = _users(int(link["uid"]) for link in links)
        by_notice: dict[int, list[tuple[int, bool]]] = {}
        for link in links:
            status = int(link["status"] or 0)
            user = users.get(int(link["uid"]))
            if status < 0:
                stats.skip("system message deleted by its recipient")
                continue
            if user is None:
                stats.skip("system message recipient not imported")
                continue
            by_notice.setdefault(int(link["gpmid"]), []).append((user[0], status > 0))
        rows = [
            ImportedNotice(
                discuz_id=int(r["id"]),
                author_name=r["author"] or "",
                source=strip_control_chars(r["message"] or ""),
                created=unix_to_utc(r["dateline"]),
                recipients=tuple(by_notice.get(int(r["id"]), [])),
            )
            for r in page
        ]
        created, updated = services.import_system_notices(rows)
        stats.created += created
        stats.updated += updated
