"""Import usergroups and members (``common_usergroup``, ``common_member*``, UCenter).

Members come from ``common_member`` (and ``common_member_archive``, where Discuz! X moves
long-inactive members) joined with ``common_member_count`` (posts, threads),
``common_member_status`` (register IP), ``common_member_field_forum`` (custom title) and
``<prefix>ucenter_members`` (the password store: ``md5(md5(password) . salt)``). UCenter
accounts that never visited the forum have no ``common_member`` row and are imported too.
"""

from __future__ import annotations

import re

from django.contrib.auth.hashers import make_password
from django.db import transaction

from luntan.accounts.models import User, UserGroup
from luntan.accounts.usernames import key_imported_names

from .convert import clean_ip, discuz_password, plain_name, unix_to_utc
from .models import ImportedUserGroup
from .sanctions import member_groupid
from .source import DiscuzSource, SourceError
from .upsert import TableStats, upsert

DEFAULT_GROUP_MAX = 19  # Discuz! X3.4 default groupids 1–19 are kept as UserGroup pks
_COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{3}([0-9A-Fa-f]{3})?$")
_KINDS = {"system", "special", "member"}
# A group icon is kept only as an absolute http(s) URL (Discuz!'s relative paths point
# into its own static folder, which luntan does not have).
_ICON_RE = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)
# UserGroup rights ← common_usergroup_field columns (Discuz! 用户组 → 论坛相关/附件相关).
_RIGHTS = {
    "allow_post": "allowpost",
    "allow_reply": "allowreply",
    "allow_download": "allowgetattach",
    "allow_upload": "allowpostattach",
    "allow_post_image": "allowpostimage",
    "allow_hide_code": "allowhidecode",
    "allow_html": "allowhtml",
    "allow_post_poll": "allowpostpoll",
    "allow_vote": "allowvote",
    "allow_sig_bbcode": "allowsigbbcode",
    "allow_sig_images": "allowsigimgcode",
}


_GROUP_SQL = (
    "SELECT g.groupid, g.type, g.grouptitle, g.creditshigher, g.creditslower, g.stars, "
    "g.color, g.allowvisit FROM {common_usergroup} g ORDER BY g.groupid"
)
_GROUP_RIGHTS_SQL = (
    "SELECT g.groupid, g.type, g.grouptitle, g.creditshigher, g.creditslower, g.stars, "
    "g.color, g.allowvisit, f.readaccess, f.allowpost, f.allowreply, f.allowgetattach, "
    "f.allowpostattach, f.allowpostimage, f.allowhidecode, f.allowhtml, f.allowpostpoll, "
    "f.allowvote, g.allowsendpm, f.allowsendpmmaxnum, f.allowsigbbcode, f.allowsigimgcode, "
    "f.maxsigsize, g.icon "
    "FROM {common_usergroup} g LEFT JOIN {common_usergroup_field} f ON f.groupid = g.groupid "
    "ORDER BY g.groupid"
)


def import_groups(src: DiscuzSource, stats: TableStats) -> dict[int, int]:
    """Sync ``common_usergroup`` into :class:`UserGroup` and return ``{groupid: pk}``.

    Groups 1–19 keep their ids (the default groups, renamed or re-ranged as on the
    site); other groups get a new local group remembered in :class:`ImportedUserGroup`.
    ``creditshigher``/``creditslower`` are Discuz!'s lower/upper credit bounds; the rights
    (``allowvisit``; ``common_usergroup_field`` ``readaccess``, ``allowpost``,
    ``allowreply``, ``allowgetattach``, ``allowpostattach``, ``allowpostimage``,
    ``allowhidecode``, ``allowhtml``, ``allowpostpoll``, ``allowvote``; ``allowsendpm``,
    ``allowsendpmmaxnum``; ``allowsigbbcode``, ``allowsigimgcode``, ``maxsigsize``) become
    the group's ``allow_*``/``read_access``/``max_sig_size``; ``icon`` (an http(s) URL
    only) its ``icon``.
    """
    mapping: dict[int, int] = {}
    if not src.has("common_usergroup"):
        return mapping
    rights = src.has("common_usergroup_field")
    rows = src.dicts(src.sql(_GROUP_RIGHTS_SQL if rights else _GROUP_SQL))
    stats.read += len(rows)
    local = {g.pk: g for g in UserGroup.objects.all()}
    imported = {m.discuz_groupid: m.group_id for m in ImportedUserGroup.objects.all()}
    with transaction.atomic():
        for row in rows:
            gid = int(row["groupid"])
            values = {
                "name": plain_name(row["grouptitle"], 30) or f"#{gid}",
                "kind": row["type"] if row["type"] in _KINDS else UserGroup.Kind.SPECIAL,
                "credits_lower": int(row["creditshigher"]),
                "credits_higher": int(row["creditslower"]),
                "stars": max(int(row["stars"]), 0),
                "color": row["color"] if _COLOR_RE.match(row["color"] or "") else "",
                "allow_visit": int(row["allowvisit"] or 0) != 0,
            }
            if row.get("readaccess") is not None:  # common_usergroup_field rights
                values.update(
                    {field: bool(int(row[column] or 0)) for field, column in _RIGHTS.items()}
                )
                values["read_access"] = min(max(int(row["readaccess"] or 0), 0), 255)
                values["allow_send_pm"] = int(row.get("allowsendpm") or 0) != 0
                values["max_pms_per_day"] = max(int(row.get("allowsendpmmaxnum") or 0), 0)
                values["max_sig_size"] = min(max(int(row.get("maxsigsize") or 0), 0), 32767)
                icon = (row.get("icon") or "").strip()
                values["icon"] = icon[:255] if _ICON_RE.match(icon) else ""
            pk = gid if gid <= DEFAULT_GROUP_MAX and gid in local else imported.get(gid)
            group = local.get(pk) if pk is not None else None
            if group is None:
                group = UserGroup.objects.create(**values)
                ImportedUserGroup.objects.update_or_create(
                    discuz_groupid=gid, defaults={"group": group}
                )
                stats.created += 1
            else:
                changed = [k for k, v in values.items() if getattr(group, k) != v]
                if changed:
                    for k in changed:
                        setattr(group, k, values[k])
                    group.save(update_fields=changed)
                    stats.updated += 1
            mapping[gid] = group.pk
    return mapping


def _member_sql(src: DiscuzSource, suffix: str) -> str:
    """The paged member query over ``common_member<suffix>`` and its side tables."""
    uc = src.has("ucenter_members")
    count = src.has(f"common_member_count{suffix}")
    status = src.has(f"common_member_status{suffix}")
    field = src.has(f"common_member_field_forum{suffix}")
    cols = [
        "m.uid, m.username, m.email, m.status, m.adminid, m.groupid, m.groupexpiry, m.regdate, "
        "m.credits",
        "uc.password AS uc_password, uc.salt AS uc_salt, uc.regip AS uc_regip"
        if uc
        else "NULL AS uc_password, NULL AS uc_salt, NULL AS uc_regip",
        "c.posts, c.threads" if count else "0 AS posts, 0 AS threads",
        "s.regip" if status else "NULL AS regip",
        "f.customstatus, f.groupterms" if field else "'' AS customstatus, '' AS groupterms",
    ]
    joins = [
        "LEFT JOIN {ucenter_members} uc ON uc.uid = m.uid" if uc else "",
        "LEFT JOIN {count} c ON c.uid = m.uid" if count else "",
        "LEFT JOIN {status} s ON s.uid = m.uid" if status else "",
        "LEFT JOIN {field} f ON f.uid = m.uid" if field else "",
    ]
    parts = ["SELECT", ", ".join(cols), "FROM {member} m", *(j for j in joins if j)]
    parts.append("WHERE m.uid > %s ORDER BY m.uid LIMIT %s")
    return src.sql(
        " ".join(parts),
        member="common_member" + suffix,
        count="common_member_count" + suffix,
        status="common_member_status" + suffix,
        field="common_member_field_forum" + suffix,
    )


def _uc_only_sql(src: DiscuzSource) -> str:
    """The paged query over UCenter accounts without a ``common_member(_archive)`` row."""
    archive = src.has("common_member_archive")
    parts = [
        "SELECT uc.uid, uc.username, uc.email, uc.password AS uc_password,",
        "uc.salt AS uc_salt, uc.regip AS uc_regip, uc.regdate FROM {ucenter_members} uc",
        "WHERE NOT EXISTS (SELECT 1 FROM {common_member} m WHERE m.uid = uc.uid)",
    ]
    if archive:
        parts.append(
            "AND NOT EXISTS (SELECT 1 FROM {common_member_archive} a WHERE a.uid = uc.uid)"
        )
    parts.append("AND uc.uid > %s ORDER BY uc.uid LIMIT %s")
    return src.sql(" ".join(parts))


class MemberImporter:
    """Imports members in batches; see the module docstring for the sources."""

    def __init__(self, src: DiscuzSource, groups: dict[int, int], batch: int, progress):
        self.src = src
        self.groups = groups
        self.batch = batch
        self.progress = progress
        self.unusable = make_password(None)
        self.stats = TableStats(
            "members",
            "common_member(_archive), _count, _status, _field_forum, ucenter_members",
        )

    def check_names(self) -> None:
        """Raise :class:`SourceError` when a local, non-imported account already uses the
        name of a Discuz! member (nothing is written then)."""
        local = set(User.objects.filter(discuz_uid__isnull=True).values_list("username", flat=True))
        if not local:
            return
        names: set[str] = set()
        tables = ["common_member", "common_member_archive", "ucenter_members"]
        for table in filter(self.src.has, tables):
            sql = self.src.sql(
                "SELECT uid, username FROM {t} WHERE uid > %s ORDER BY uid LIMIT %s", t=table
            )
            for page in self.src.pages(sql, "uid", 10000):
                names.update(row["username"] for row in page if row["username"] in local)
        if names:
            shown = ", ".join(sorted(names)[:10])
            raise SourceError(
                f"{len(names)} local account(s) not imported from Discuz! already use a "
                f"Discuz! member's name: {shown}. Rename or delete them first (or import into "
                "an empty luntan database)."
            )

    def _password(self, row: dict) -> str:
        return (
            discuz_password(row.get("uc_password"), row.get("uc_salt"), self.src.charset)
            or self.unusable
        )

    @staticmethod
    def _compare(obj, name: str, new) -> bool:
        current = getattr(obj, name)
        if name == "password":
            if not (current.startswith("discuz$") or current.startswith("!")):
                return True  # set or upgraded in luntan since: keep it
            if new.startswith("!"):
                return current.startswith("!")
        return current == new

    def _member_values(self, row: dict) -> dict:
        # A ban whose expiry has passed is over: the member is in the restored group.
        groupid = member_groupid(
            int(row["groupid"]), row["groupexpiry"], row["groupterms"], charset=self.src.charset
        )
        is_admin = groupid == 1 and int(row["adminid"]) == 1
        return {
            "discuz_uid": int(row["uid"]),
            "username": row["username"],
            "email": row["email"] or "",
            "password": self._password(row),
            "is_active": int(row["status"]) != -1,
            "is_staff": is_admin,
            "is_superuser": is_admin,
            "date_joined": unix_to_utc(row["regdate"]),
            "group_id": self.groups.get(groupid, UserGroup.NEWBIE),
            "credits": int(row["credits"]),
            "register_ip": clean_ip(row["regip"]) or clean_ip(row["uc_regip"]),
            "custom_title": plain_name(row["customstatus"], 30),
        }

    def _uc_values(self, row: dict) -> dict:
        return {
            "discuz_uid": int(row["uid"]),
            "username": row["username"],
            "email": row["email"] or "",
            "password": self._password(row),
            "is_active": True,
            "is_staff": False,
            "is_superuser": False,
            "date_joined": unix_to_utc(row["regdate"]),
            "group_id": UserGroup.NEWBIE,
            "credits": 0,
            "register_ip": clean_ip(row["uc_regip"]),
            "custom_title": "",
        }

    def _write(self, values: list[dict]) -> None:
        with transaction.atomic():
            # Registration rules (luntan.accounts.usernames): names breaking them are
            # counted in the report and kept; clashing keys get "<key>#<uid>".
            key_imported_names(values, self.stats.notes)
            existing = User.objects.in_bulk(
                [v["discuz_uid"] for v in values], field_name="discuz_uid"
            )
            upsert(
                User,
                "discuz_uid",
                values,
                existing,
                self.stats,
                compare=self._compare,
                plain_insert=True,  # no model instance per new member
            )

    def run(self) -> TableStats:
        """Import every member; returns the counts. Prints one progress line per batch."""
        passes = [(_member_sql(self.src, ""), self._member_values)]
        if self.src.has("common_member_archive"):
            passes.append((_member_sql(self.src, "_archive"), self._member_values))
        if self.src.has("ucenter_members"):
            passes.append((_uc_only_sql(self.src), self._uc_values))
        for sql, convert in passes:
            for page in self.src.pages(sql, "uid", self.batch):
                self.stats.read += len(page)
                self._write([convert(row) for row in page])
                self.progress(self.stats.line())
        return self.stats.finish()
