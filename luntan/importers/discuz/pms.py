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
- the legacy ``pms`` table of UCenter 1.x / Discuz! 6–7 (``ucenter_pms``, or ``pms``
  itself, when present: sites upgraded to UCenter 1.6 often keep it), one row per
  message ``msgfromid`` → ``msgtoid`` → the pair's one-to-one conversation
  (:func:`luntan.pms.services.import_legacy_messages`); ``subject`` is put in bold in
  front of the text, ``new`` = 1 makes it unread for the recipient, ``delstatus``
  (UCenter 1.5 ``pm.php`` ``deletepm``: 1 — deleted by the recipient, 2 — by the
  sender) hides it for that member. Skipped: drafts (``folder`` = ``outbox``),
  system notices (``msgfromid`` 0), members not imported, messages to oneself, and
  messages the UCenter 1.6 upgrade already copied into ``pm_messages_N`` (same pair,
  time and text).
- ``ucenter_memberfields.blacklist`` (UCenter's 黑名单: a comma list of user names, or
  ``{ALL}`` — nobody may write) → :class:`luntan.pms.models.Block` rows and, for
  ``{ALL}``, 不接收 in :class:`~luntan.pms.models.PMSettings`
  (:func:`luntan.pms.services.import_blocks`); a ``ucenter_pm_blacklist`` table with
  the same ``uid``/``blacklist`` columns is read the same way. Unknown names are skipped.
"""

from __future__ import annotations

from luntan.accounts.models import User
from luntan.core.parsing import strip_control_chars
from luntan.pms import services
from luntan.pms.models import Participant
from luntan.pms.services import (
    ImportedConversation,
    ImportedLegacyPM,
    ImportedMessage,
    ImportedNotice,
)

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


_LEGACY_SQL = (
    "SELECT pmid, msgfrom, msgfromid, msgtoid, folder, new, subject, dateline, message, "
    "delstatus FROM {table} WHERE pmid > %s ORDER BY pmid LIMIT %s"
)
_BLACKLIST_SQL = (
    "SELECT uid, blacklist FROM {table} WHERE uid > %s AND blacklist <> '' ORDER BY uid LIMIT %s"
)
#: A member's blacklist that blocks everybody (UCenter ``pm.php``: ``{ALL}``).
BLOCK_ALL = "{ALL}"


def _legacy_table(src: DiscuzSource) -> str | None:
    for name in ("ucenter_pms", "pms"):
        if src.has(name):
            return name
    return None


def import_discuz_legacy_pms(src: DiscuzSource, batch: int, stats: TableStats) -> None:
    """The legacy ``pms`` table (see the module doc); nothing when it is absent."""
    table = _legacy_table(src)
    if table is None:
        return
    touched: set[int] = set()
    for page in src.pages(src.sql(_LEGACY_SQL, table=table), "pmid", batch):
        stats.read += len(page)
        users = _users(
            [int(r["msgfromid"] or 0) for r in page] + [int(r["msgtoid"] or 0) for r in page]
        )
        rows = []
        for r in page:
            sender_uid, recipient_uid = int(r["msgfromid"] or 0), int(r["msgtoid"] or 0)
            if str(r["folder"] or "inbox") == "outbox":
                stats.skip("legacy pm draft (folder outbox)")
                continue
            if sender_uid == 0:
                stats.skip("legacy system pm (msgfromid 0)")
                continue
            sender, recipient = users.get(sender_uid), users.get(recipient_uid)
            if sender is None or recipient is None:
                stats.skip("legacy pm member not imported")
                continue
            if sender[0] == recipient[0]:
                stats.skip("legacy pm to oneself")
                continue
            delstatus = int(r["delstatus"] or 0)
            hidden_for = recipient[0] if delstatus == 1 else sender[0] if delstatus == 2 else None
            text = strip_control_chars(r["message"] or "")
            subject = unescape_subject(r["subject"] or "").strip()
            if subject and not text.startswith(subject):
                text = f"[b]{subject}[/b]\n{text}"
            rows.append(
                ImportedLegacyPM(
                    pmid=int(r["pmid"]),
                    sender_id=sender[0],
                    recipient_id=recipient[0],
                    author_name=sender[1],
                    source=text,
                    created=unix_to_utc(r["dateline"]),
                    unread=bool(int(r["new"] or 0)),
                    hidden_for_id=hidden_for,
                )
            )
        result = services.import_legacy_messages(rows)
        stats.created += result.created
        if result.duplicates:
            stats.skip("legacy pm already in pm_messages (UCenter 1.6 upgrade)", result.duplicates)
        touched |= result.conversation_ids or set()
    services.finish_import([], conversation_ids=touched)


def parse_blacklist(text: str) -> tuple[list[str], bool]:
    """A UCenter ``blacklist`` value → ``(user names, blocks everybody)``: names are
    separated by commas (also spaces and newlines), each once; ``{ALL}`` means nobody
    may write."""
    names: list[str] = []
    every = False
    for part in (text or "").replace("\n", ",").replace("\r", ",").split(","):
        name = part.strip()
        if not name:
            continue
        if name.upper() == BLOCK_ALL:
            every = True
        elif name not in names:
            names.append(name)
    return names, every


def import_discuz_pm_blacklists(src: DiscuzSource, batch: int, stats: TableStats) -> None:
    """黑名单 from ``ucenter_memberfields.blacklist`` (and ``ucenter_pm_blacklist`` when
    present; see the module doc)."""
    for table in ("ucenter_memberfields", "ucenter_pm_blacklist"):
        if not src.has(table):
            continue
        for page in src.pages(src.sql(_BLACKLIST_SQL, table=table), "uid", batch):
            stats.read += len(page)
            owners = _users(int(r["uid"]) for r in page)
            parsed = {int(r["uid"]): parse_blacklist(str(r["blacklist"] or "")) for r in page}
            wanted = {n for names, _every in parsed.values() for n in names}
            by_name = dict(User.objects.filter(username__in=wanted).values_list("username", "pk"))
            pairs: list[tuple[int, int]] = []
            closed: list[int] = []
            for uid, (names, every) in parsed.items():
                owner = owners.get(uid)
                if owner is None:
                    stats.skip("blacklist of a member not imported")
                    continue
                if every:
                    closed.append(owner[0])
                for name in names:
                    blocked = by_name.get(name)
                    if blocked is None:
                        stats.skip("blacklisted name not imported")
                    elif blocked != owner[0]:
                        pairs.append((owner[0], blocked))
            created, _closed = services.import_blocks(pairs, closed)
            stats.created += created
