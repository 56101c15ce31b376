"""Import attachments (``forum_attachment`` + ``forum_attachment_0..9``) with their files.

Discuz! X3.4 keeps one index row per attachment in ``forum_attachment`` (``aid``, ``tid``,
``pid``, ``uid``, ``downloads`` and ``tableid``: the detail table ``forum_attachment_<tableid>``,
``tid % 10``; 127 = an upload never posted) and the file under
``data/attachment/forum/<attachment>`` (``attachment`` = ``YYYYMM/DD/HHMMSS<random>.<ext>``).
``--attach-dir`` names Discuz!'s ``data/attachment`` folder.

Each attachment becomes a :class:`luntan.attachments.models.Attachment` bound to its
imported post, with ``discuz_aid`` = ``aid`` so the post's ``[attach]aid[/attach]`` shows it
inline (:func:`luntan.attachments.rendering.render_post_attachments`) and
``forum.php?mod=attachment&aid=…`` answers with it. The file is checked by content as an
upload is (:func:`luntan.attachments.sniff.detect`); images are re-encoded and get a new
thumbnail (:func:`luntan.attachments.images.process_image`). A missing or unreadable file
is reported and skipped, never fatal. Files are written before their row, so a killed run
leaves at most an unreferenced file (``luntan purge_orphan_attachments`` does not see it;
harmless) and never a row without a file; rows already imported are not copied again, only
their download count and post binding are refreshed.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from luntan.accounts.models import User
from luntan.attachments import conf, sniff
from luntan.attachments.filenames import clean_filename, extension_of
from luntan.attachments.images import process_image
from luntan.attachments.models import Attachment
from luntan.attachments.services import stored_name_for
from luntan.threads.models import Post

from .convert import unix_to_utc
from .source import DiscuzSource
from .upsert import TableStats

UNUSED_TABLEID = 127  # Discuz!: uploaded in the editor, never posted
OCTET = "application/octet-stream"


def _detail_tables(src: DiscuzSource) -> list[str]:
    return [f"forum_attachment_{i}" for i in range(10) if src.has(f"forum_attachment_{i}")]


def _store(data: bytes, filename: str, created) -> dict:
    """Write the file (and thumbnail) to storage; return the Attachment fields.
    Raises ``ValidationError`` for an image Pillow cannot read or that is too large."""
    fileobj = io.BytesIO(data)
    kind = sniff.detect(fileobj)
    if kind.is_image:
        image = process_image(
            fileobj, kind, max_pixels=conf.max_pixels(), thumb_width=conf.thumb_width()
        )
        name = default_storage.save(
            stored_name_for(kind.extension, created), ContentFile(image.data)
        )
        thumb = ""
        if image.thumbnail is not None:
            thumb = default_storage.save(
                stored_name_for(image.thumbnail_ext, created, ".thumb"),
                ContentFile(image.thumbnail),
            )
        return {
            "stored_name": name,
            "thumbnail_name": thumb,
            "size": len(image.data),
            "content_type": kind.mime,
            "is_image": True,
            "width": image.width,
            "height": image.height,
        }
    ext = kind.extension if kind is not sniff.UNKNOWN else "bin"
    if kind is sniff.UNKNOWN and extension_of(filename) == "txt":
        ext = "txt"
    name = default_storage.save(stored_name_for(ext, created), ContentFile(data))
    return {
        "stored_name": name,
        "thumbnail_name": "",
        "size": len(data),
        "content_type": kind.mime if kind is not sniff.UNKNOWN else OCTET,
        "is_image": False,
        "width": 0,
        "height": 0,
    }


def import_attachments(
    src: DiscuzSource, attach_dir: str | None, batch: int, stats: TableStats, progress
) -> None:
    """Import every attachment of an imported post (see the module docstring).

    ``attach_dir``: Discuz!'s ``data/attachment`` folder (files are read from its
    ``forum/`` subfolder); ``None`` imports nothing and says so in the report."""
    if not src.has("forum_attachment"):
        return
    tables = _detail_tables(src)
    root = Path(attach_dir) / "forum" if attach_dir else None
    sql = src.sql(
        "SELECT aid, tid, pid, uid, tableid, downloads FROM {forum_attachment} "
        "WHERE aid > %s ORDER BY aid LIMIT %s"
    )
    for page in src.pages(sql, "aid", batch):
        stats.read += len(page)
        if root is None:
            stats.skip("no --attach-dir given: files not imported", len(page))
            continue
        details: dict[int, dict] = {}
        by_table: dict[int, list[int]] = {}
        for row in page:
            by_table.setdefault(int(row["tableid"]), []).append(int(row["aid"]))
        for tableid, aids in by_table.items():
            table = f"forum_attachment_{tableid}"
            if table not in tables:
                continue
            for d in src.dicts(
                src.sql(
                    "SELECT aid, dateline, filename, attachment, remote, isimage FROM {t} "
                    "WHERE aid IN %s",
                    t=table,
                ),
                (aids,),
            ):
                details[int(d["aid"])] = d
        posts = Post.objects.in_bulk(
            {int(r["pid"]) for r in page if int(r["pid"])}, field_name="discuz_pid"
        )
        users = dict(
            User.objects.filter(discuz_uid__in={int(r["uid"]) for r in page}).values_list(
                "discuz_uid", "pk"
            )
        )
        existing = Attachment.objects.in_bulk(
            [int(r["aid"]) for r in page], field_name="discuz_aid"
        )
        new: list[Attachment] = []
        changed: list[Attachment] = []
        for row in page:
            aid = int(row["aid"])
            post = posts.get(int(row["pid"]))
            old = existing.get(aid)
            if int(row["tableid"]) == UNUSED_TABLEID:
                stats.skip("unused uploads (tableid 127)")
                continue
            if post is None:
                stats.skip("post not imported")
                continue
            downloads = max(int(row["downloads"] or 0), 0)
            if old is not None:
                if (old.post_id, old.thread_id, old.downloads) != (
                    post.pk,
                    post.thread_id,
                    max(downloads, old.downloads),
                ):
                    old.post_id, old.thread_id = post.pk, post.thread_id
                    old.downloads = max(downloads, old.downloads)  # counted here since
                    changed.append(old)
                continue
            detail = details.get(aid)
            if detail is None:
                stats.skip("no forum_attachment_N row")
                continue
            if int(detail["remote"] or 0):
                stats.skip("remote (FTP) attachments")
                continue
            path = root / (detail["attachment"] or "")
            try:
                if not detail["attachment"] or ".." in Path(detail["attachment"]).parts:
                    raise FileNotFoundError(detail["attachment"])
                data = path.read_bytes()
            except OSError:
                stats.skip("file missing under --attach-dir")
                continue
            if not data:
                stats.skip("empty file")
                continue
            created = unix_to_utc(detail["dateline"])
            filename = clean_filename(detail["filename"] or "") or f"attachment-{aid}"
            try:
                fields = _store(data, filename, created)
            except ValidationError:
                stats.skip("image file damaged or too large")
                continue
            new.append(
                Attachment(
                    discuz_aid=aid,
                    uploader_id=users.get(int(row["uid"])),
                    post_id=post.pk,
                    thread_id=post.thread_id,
                    filename=filename[:255],
                    downloads=downloads,
                    created=created,
                    **fields,
                )
            )
        with transaction.atomic():
            Attachment.objects.bulk_create(new, batch_size=500)
            Attachment.objects.bulk_update(changed, ["post", "thread", "downloads"], batch_size=500)
        stats.created += len(new)
        stats.updated += len(changed)
        progress(stats.line())


__all__ = ["import_attachments"]
