"""Import members' signatures, profile fields and avatars.

- ``common_member_field_forum.sightml`` (the signature's HTML, Discuz! keeps no BBCode of
  it) → ``User.signature_html`` through luntan's sanitiser, and its text (tags stripped)
  → ``User.signature``, the source the member edits next;
- ``common_member_profile``: ``gender`` (0 保密, 1 男, 2 女), ``birthyear`` /
  ``birthmonth`` / ``birthday`` (a date only when all three make one), ``resideprovince``
  + ``residecity`` (+ ``residedist``) → location, ``site`` → website (an http(s) URL; a
  bare ``www.…`` gets ``http://``; anything else is dropped and counted), ``bio``;
- ``common_member_field_home.privacy`` (PHP-serialised; its ``profile`` part) → each
  field's privacy: 0 公开 stays public; 1 好友可见, 3 仅自己可见 and anything else become
  仅自己可见 (luntan has no friends: a field is never shown to more people than before);
- avatars from UCenter's ``uc_server/data/avatar/`` folder (``avatar_dir``), laid out as
  ``000/00/00/01_avatar_big.jpg`` (``_middle``, ``_small``) for uid 1: the biggest file
  found is checked like an upload and the three sizes are made from it
  (:func:`luntan.members.avatars.store_imported`). A member whose ``avatarstatus`` is 1
  but who has no file, or whose file is not a usable image, is counted in the report;
  the import goes on.

Rows are matched by Discuz! uid (``User.discuz_uid``); a rerun writes only what changed
(the avatar's stored name comes from its content, so the same file is not stored twice).
``common_member_status.lastvisit`` is :mod:`member_status`'s.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.html import strip_tags

from luntan.accounts import avatars as avatar_names
from luntan.accounts.models import Profile, User
from luntan.accounts.signatures import sanitise_imported
from luntan.members.avatars import store_imported

from .source import DiscuzSource
from .upsert import TableStats

_SQL = (
    "SELECT m.uid, m.avatarstatus, {sig} AS sightml, {profile_cols}, {privacy} AS privacy "
    "FROM {member} m {joins} WHERE m.uid > %s ORDER BY m.uid LIMIT %s"
)
_PROFILE_COLS = (
    "p.gender, p.birthyear, p.birthmonth, p.birthday, p.resideprovince, p.residecity, "
    "p.residedist, p.site, p.bio"
)
_NO_PROFILE = (
    "0 AS gender, 0 AS birthyear, 0 AS birthmonth, 0 AS birthday, '' AS resideprovince, "
    "'' AS residecity, '' AS residedist, '' AS site, '' AS bio"
)
# Discuz! privacy['profile'] keys → luntan's profile fields.
_PRIVACY_KEYS = {
    "gender": "gender",
    "birthday": "birthday",
    "birthyear": "birthday",
    "residecity": "location",
    "resideprovince": "location",
    "site": "website",
    "bio": "bio",
}
_PRIVACY_ITEM = re.compile(r's:\d+:"(\w+)";(?:i:(\d+)|s:\d+:"(\d+)")')
_URL = URLValidator(schemes=["http", "https"])


def parse_privacy(blob: str) -> dict[str, str]:
    """The profile privacy of a PHP-serialised ``common_member_field_home.privacy``:
    ``{field: "public" | "self"}`` for the fields named in its ``profile`` array (see the
    module docstring for the mapping); ``{}`` for an empty or unreadable blob."""
    if not blob or '"profile"' not in blob:
        return {}
    part = blob.split('"profile"', 1)[1]
    end = part.find("}")
    part = part[: end if end >= 0 else len(part)]
    out: dict[str, str] = {}
    for key, number, text in _PRIVACY_ITEM.findall(part):
        field = _PRIVACY_KEYS.get(key)
        if field is None:
            continue
        level = int(number or text or 0)
        value = Profile.Privacy.PUBLIC if level == 0 else Profile.Privacy.SELF
        if out.get(field) != Profile.Privacy.SELF:  # the stricter of two keys wins
            out[field] = value
    return out


def website_of(site: str) -> str:
    """Discuz!'s ``site`` as an http(s) URL (a bare ``www.example.com`` gets ``http://``),
    or ``""`` when it is not one."""
    site = (site or "").strip()
    if not site:
        return ""
    if not re.match(r"^https?://", site, re.IGNORECASE):
        site = "http://" + site
    try:
        _URL(site)
    except ValidationError:
        return ""
    return site[:255]


def birthday_of(year, month, day) -> date | None:
    """A date from Discuz!'s three birthday columns, or ``None`` unless all make one."""
    try:
        y, m, d = int(year or 0), int(month or 0), int(day or 0)
        return date(y, m, d) if y and m and d else None
    except ValueError:
        return None


def signature_text(html: str) -> str:
    """The editable text of a Discuz! signature's HTML: tags stripped, entities decoded,
    ``<br>`` as line breaks."""
    html = re.sub(r"<br\s*/?>", "\n", html or "", flags=re.IGNORECASE)
    return htmllib.unescape(strip_tags(html)).strip()


def avatar_files(avatar_dir: Path, uid: int) -> dict[str, bytes]:
    """The avatar files of ``uid`` under ``avatar_dir`` (``{size: bytes}``, sizes of
    :data:`luntan.accounts.avatars.SIZES` that exist; Discuz!'s layout, see the module)."""
    base = avatar_dir / f"{avatar_names.uid_path(uid)}_avatar_"
    found: dict[str, bytes] = {}
    for size in avatar_names.SIZES:
        path = Path(f"{base}{size}.jpg")
        if path.is_file():
            found[size] = path.read_bytes()
    return found


def import_profiles(
    src: DiscuzSource,
    batch: int,
    stats: TableStats,
    avatar_stats: TableStats,
    progress: Callable[[str], None],
    avatar_dir: str | None = None,
) -> None:
    """See the module docstring. ``stats`` counts members' signature/profile rows,
    ``avatar_stats`` the avatars (members with ``avatarstatus`` 1 or a file)."""
    folder = Path(avatar_dir) if avatar_dir else None
    if folder is not None and not folder.is_dir():
        avatar_stats.skip(f"--avatar-dir {avatar_dir} is not a folder: avatars not imported")
        folder = None
    for suffix in ("", "_archive"):
        member = "common_member" + suffix
        if not src.has(member):
            continue
        field_forum, profile, home = (
            t + suffix
            for t in (
                "common_member_field_forum",
                "common_member_profile",
                "common_member_field_home",
            )
        )
        joins, aliases = [], {"member": member}
        sig = "''"
        if src.has(field_forum):
            joins.append("LEFT JOIN {forum} f ON f.uid = m.uid")
            aliases["forum"] = field_forum
            sig = "f.sightml"
        cols = _NO_PROFILE
        if src.has(profile):
            joins.append("LEFT JOIN {profile} p ON p.uid = m.uid")
            aliases["profile"] = profile
            cols = _PROFILE_COLS
        privacy = "''"
        if src.has(home):
            joins.append("LEFT JOIN {home} h ON h.uid = m.uid")
            aliases["home"] = home
            privacy = "h.privacy"
        template = _SQL.format(
            sig=sig,
            profile_cols=cols,
            privacy=privacy,
            member="{member}",
            joins=" ".join(joins),
        )
        sql = src.sql(template, **aliases)
        for page in src.pages(sql, "uid", batch):
            _import_page(page, stats, avatar_stats, folder)
            progress(stats.line())


def _import_page(page, stats: TableStats, avatar_stats: TableStats, folder: Path | None) -> None:
    stats.read += len(page)
    users = User.objects.in_bulk([int(r["uid"]) for r in page], field_name="discuz_uid")
    existing = {
        p.user_id: p for p in Profile.objects.filter(user_id__in=[u.pk for u in users.values()])
    }
    changed_users: list[User] = []
    new_profiles: list[Profile] = []
    changed_profiles: list[Profile] = []
    for row in page:
        user = users.get(int(row["uid"]))
        if user is None:
            stats.skip("member not imported")
            continue
        html = sanitise_imported(row["sightml"] or "")
        text = signature_text(html)
        if (user.signature_html, user.signature) != (html, text):
            user.signature_html, user.signature = html, text
            changed_users.append(user)
        site = (row["site"] or "").strip()
        website = website_of(site)
        if site and not website:
            stats.notes["websites dropped (not an http(s) URL)"] = (
                stats.notes.get("websites dropped (not an http(s) URL)", 0) + 1
            )
        gender = int(row["gender"] or 0)
        values = {
            "gender": gender if gender in (0, 1, 2) else 0,
            "birthday": birthday_of(row["birthyear"], row["birthmonth"], row["birthday"]),
            "location": " ".join(
                x.strip()
                for x in (row["resideprovince"], row["residecity"], row["residedist"])
                if x and x.strip()
            )[:100],
            "website": website,
            "bio": (row["bio"] or "")[:1000],
            "privacy": parse_privacy(row["privacy"] or ""),
        }
        current = existing.get(user.pk)
        if current is None:
            if any(v for k, v in values.items() if k != "privacy"):
                new_profiles.append(Profile(user=user, **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            changed_profiles.append(current)
        if folder is not None:
            _import_avatar(
                user, int(row["uid"]), int(row["avatarstatus"] or 0), folder, avatar_stats
            )
        elif int(row["avatarstatus"] or 0):
            avatar_stats.read += 1
            avatar_stats.skip("no --avatar-dir given")
    with transaction.atomic():
        if changed_users:
            User.objects.bulk_update(changed_users, ["signature", "signature_html"])
        if new_profiles:
            Profile.objects.bulk_create(new_profiles)
        if changed_profiles:
            Profile.objects.bulk_update(changed_profiles, [*Profile.FIELDS, "privacy"])
    stats.created += len(new_profiles)
    stats.updated += len(changed_users) + len(changed_profiles)


def _import_avatar(user: User, uid: int, status: int, folder: Path, stats: TableStats) -> None:
    files = avatar_files(folder, uid)
    if not files:
        if status:
            stats.read += 1
            stats.skip("avatar file missing")
        return
    stats.read += 1
    before = user.avatar
    try:
        stem = store_imported(user, files)
    except ValidationError as exc:
        stats.skip(f"avatar not a usable image ({exc.messages[0]})")
        return
    if stem != before:
        if before:
            stats.updated += 1
        else:
            stats.created += 1


__all__ = ["import_profiles", "parse_privacy", "website_of"]
