"""Import Discuz!'s smilies (``forum_imagetype`` + ``common_smiley`` with the images from
``--smiley-dir``) and custom BBCode (``forum_bbcode``).

Smilies: each ``forum_imagetype`` row of type ``smiley`` becomes a
:class:`~luntan.core.models.SmileySet` (``available`` → ``is_available``), each
``common_smiley`` row of type ``smiley`` a :class:`~luntan.core.models.Smiley` (``code``,
``displayorder``); its image ``<smiley-dir>/<directory>/<url>`` (Discuz!'s
``static/image/smiley/``) is checked by content and copied to
``MEDIA_ROOT/smilies/<directory>/<url>``. A missing or non-image file is reported and the
smiley shows its readable Unicode emoji (:func:`luntan.markup.smilies.fallback_emoji`).
Stamps (图章, ``type`` ``stamp``/``stamplist``) are reported, not imported.

Custom BBCode: each ``forum_bbcode`` row becomes a
:class:`~luntan.core.models.CustomBBCode` (``available`` 0 → disabled, shown as literal
BBCode as Discuz! does); whether its replacement HTML is used (``safe``) or the content
shown as text (``text``) is decided by
:func:`luntan.markup.bbcode.custom.check_replacement` and listed in the report.

Both run before the posts, so posts are rendered with them. When a rerun changes them,
the imported posts that contain a changed code or tag are rendered again.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from luntan import markup
from luntan.attachments import sniff
from luntan.core.markup_tables import forget_tables
from luntan.core.models import CustomBBCode, Smiley, SmileySet
from luntan.markup.bbcode.custom import check_replacement
from luntan.markup.smilies import fallback_emoji
from luntan.threads.models import Post

from .source import DiscuzSource
from .upsert import TableStats

_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,99}$")
MAX_SMILEY_BYTES = 512 * 1024


def _copy_image(smiley_dir: Path | None, directory: str, filename: str) -> tuple[str, str]:
    """Copy one smiley image into storage; returns ``(stored name, problem)`` where
    exactly one is empty."""
    if smiley_dir is None:
        return "", "no --smiley-dir (shown as emoji)"
    if not (_SAFE_NAME.match(directory) and _SAFE_NAME.match(filename)) or ".." in (
        directory + filename
    ):
        return "", "image path not usable (shown as emoji)"
    path = smiley_dir / directory / filename
    try:
        data = path.read_bytes()
    except OSError:
        return "", "image file missing (shown as emoji)"
    if len(data) > MAX_SMILEY_BYTES:
        return "", "image file too large (shown as emoji)"
    try:
        import io

        if not sniff.detect(io.BytesIO(data)).is_image:
            return "", "image file is not an image (shown as emoji)"
    except ValidationError:
        return "", "image file is not an image (shown as emoji)"
    name = f"smilies/{directory}/{filename}"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as old:
            if old.read() == data:
                return name, ""
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data)), ""


def _code_variants(code: str) -> list[str]:
    """The code as typed and as Discuz! stores it in messages (``dhtmlspecialchars``)."""
    stored = escape(code, quote=True).replace("&#x27;", "&#039;")
    return [code] if stored == code else [code, stored]


def import_smilies(src: DiscuzSource, smiley_dir: str | None, stats: TableStats) -> list[str]:
    """See the module docstring. Returns the codes created or changed by this run."""
    base = Path(smiley_dir) if smiley_dir else None
    changed: list[str] = []
    if not (src.has("forum_imagetype") and src.has("common_smiley")):
        return changed
    types = src.dicts(
        src.sql(
            "SELECT typeid, available, name, type, displayorder, directory "
            "FROM {forum_imagetype} ORDER BY typeid"
        )
    )
    smilies = src.dicts(
        src.sql("SELECT id, typeid, displayorder, type, code, url FROM {common_smiley} ORDER BY id")
    )
    stats.read += len(types) + len(smilies)
    with transaction.atomic():
        sets: dict[int | None, SmileySet] = {s.discuz_typeid: s for s in SmileySet.objects.all()}
        for row in types:
            if row["type"] != "smiley":
                stats.skip(f"image types of kind {row['type']} (icons/avatars)")
                continue
            values = {
                "name": (row["name"] or "").strip()[:40] or str(row["typeid"]),
                "directory": (row["directory"] or "").strip()[:100],
                "display_order": int(row["displayorder"] or 0),
                "is_available": bool(row["available"]),
            }
            found = sets.get(row["typeid"])
            if found is None:
                sets[row["typeid"]] = SmileySet.objects.create(
                    discuz_typeid=row["typeid"], **values
                )
                stats.created += 1
            elif any(getattr(found, k) != v for k, v in values.items()):
                SmileySet.objects.filter(pk=found.pk).update(**values)
                stats.updated += 1
        existing = {s.discuz_id: s for s in Smiley.objects.all()}
        taken = {s.code: s.discuz_id for s in existing.values()}
        for row in smilies:
            if row["type"] != "smiley":
                stats.skip("stamps (图章): not imported")
                continue
            smiley_set = sets.get(row["typeid"])
            code = (row["code"] or "").strip()
            if smiley_set is None or not code or len(code) > 30:
                stats.skip("smilies of an unknown set or without a code")
                continue
            if taken.get(code, row["id"]) != row["id"]:
                stats.skip("smilies whose code another smiley has")
                continue
            image, problem = _copy_image(base, smiley_set.directory, (row["url"] or "").strip())
            if problem:
                stats.notes[problem] = stats.notes.get(problem, 0) + 1
            values = {
                "smiley_set_id": smiley_set.pk,
                "code": code,
                "image": image,
                "emoji": fallback_emoji(row["url"] or "")
                if smiley_set.directory == "default"
                else fallback_emoji(""),
                "display_order": int(row["displayorder"] or 0),
            }
            smiley = existing.get(row["id"])
            if smiley is None:
                Smiley.objects.create(discuz_id=row["id"], **values)
                stats.created += 1
            elif any(getattr(smiley, k) != v for k, v in values.items()):
                Smiley.objects.filter(pk=smiley.pk).update(**values)
                stats.updated += 1
            else:
                continue
            taken[code] = row["id"]
            changed.extend(_code_variants(code))
    forget_tables()
    return changed


def import_bbcodes(src: DiscuzSource, stats: TableStats) -> list[str]:
    """See the module docstring. Returns the tags created or changed by this run. Each
    tag is listed in the report's notes with how it renders."""
    changed: list[str] = []
    if not src.has("forum_bbcode"):
        return changed
    rows = src.dicts(
        src.sql(
            "SELECT id, available, tag, replacement, example, explanation, params "
            "FROM {forum_bbcode} ORDER BY id"
        )
    )
    stats.read += len(rows)
    builtin = set(markup_builtin_tags())
    with transaction.atomic():
        existing = {b.discuz_id: b for b in CustomBBCode.objects.all()}
        for row in rows:
            tag = (row["tag"] or "").strip().lower()
            if not re.match(r"^[a-z][a-z0-9_]{0,31}$", tag):
                stats.skip("custom tags with a name luntan cannot parse")
                continue
            if tag in builtin:
                stats.skip(f"[{tag}]: a built-in tag of the same name wins")
                continue
            params = min(max(int(row["params"] or 1), 1), 3)
            rendering = check_replacement(row["replacement"] or "", params)
            enabled = bool(row["available"])
            values = {
                "tag": tag,
                "params": params,
                "replacement": row["replacement"] or "",
                "example": (row["example"] or "")[:255],
                "explanation": row["explanation"] or "",
                "is_enabled": enabled,
                "rendering": rendering,
            }
            how = (
                "disabled in Discuz!: stays literal BBCode"
                if not enabled
                else "rendered with its HTML"
                if rendering == "safe"
                else "unsafe HTML: content shown as text"
            )
            stats.notes[f"[{tag}] {how}"] = 1
            found = existing.get(row["id"])
            if found is None:
                CustomBBCode.objects.create(discuz_id=row["id"], **values)
                stats.created += 1
            elif any(getattr(found, k) != v for k, v in values.items()):
                CustomBBCode.objects.filter(pk=found.pk).update(**values)
                stats.updated += 1
            else:
                continue
            changed.append(f"[{tag}")
    forget_tables()
    return changed


def markup_builtin_tags() -> list[str]:
    """Names of luntan's built-in BBCode tags."""
    from luntan.markup.bbcode.registry import TAGS

    return list(TAGS)


def rerender_imported(needles: list[str], stats: TableStats, batch: int = 500) -> None:
    """Render again the imported posts whose source contains one of ``needles`` (codes or
    ``[tag`` openings changed by this run); nothing when there are none."""
    if not needles:
        return
    query = Q()
    for needle in sorted(set(needles)):
        query |= Q(source__contains=needle)
    rows = Post.objects.filter(query, discuz_pid__isnull=False).order_by("pk")
    last = 0
    while True:
        page = list(rows.filter(pk__gt=last).only("pk", "source", "format")[:batch])
        if not page:
            return
        for post in page:
            post.html = markup.render(post.source, post.format)
            post.renderer_version = markup.RENDERER_VERSION
        with transaction.atomic():
            Post.objects.bulk_update(page, ["html", "renderer_version"])
        stats.notes["imported posts rendered again"] = stats.notes.get(
            "imported posts rendered again", 0
        ) + len(page)
        last = page[-1].pk
