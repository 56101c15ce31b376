"""Attachment use cases: upload, bind to a post, purge orphans. Every write goes here.

``upload`` validates a file and stores it unbound (so the editor can insert
``[attach]id[/attach]`` before the post exists); a posting form only ``store``s its
files (no row), and the posting pipeline ``record``s and binds them
(:func:`bind_to_post`, its registered binder) inside the posting transaction; ``bind``
attaches a member's own unbound uploads to a post; ``purge_orphans`` removes
uploads that were never bound. Files go through Django's storage API
(``django.core.files.storage.default_storage``: local disk by default, any
S3-compatible store by ``STORAGES`` settings alone).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.accounts.models import User
from luntan.attachments import conf, sniff
from luntan.attachments.conf import format_size
from luntan.attachments.filenames import clean_filename, extension_of
from luntan.attachments.images import process_image
from luntan.attachments.models import Attachment
from luntan.core.models import site_time_zone
from luntan.credits import services as credits
from luntan.permissions import check_upload

logger = logging.getLogger(__name__)


def stored_name_for(ext: str, now: datetime, suffix: str = "") -> str:
    """A new storage name ``<dir>/YYYY/MM/DD/<32 random hex><suffix>.<ext>`` (UTC date).

    Nothing of the member's file name goes into it; 128 random bits make it unguessable
    and unique.
    """
    day = now.astimezone(ZoneInfo("UTC"))
    token = secrets.token_hex(16)
    return f"{conf.storage_dir()}/{day:%Y/%m/%d}/{token}{suffix}.{ext}"


def _site_day_start(now: datetime) -> datetime:

    local = now.astimezone(site_time_zone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def uploads_today(user: User, now: datetime | None = None) -> int:
    """How many files ``user`` uploaded since midnight in the site's time zone."""
    start = _site_day_start(now or timezone.now())
    return Attachment.objects.filter(uploader=user, created__gte=start).count()


def _check_daily(user: User, limits: conf.Limits, now: datetime) -> None:
    if limits.per_day and uploads_today(user, now) >= limits.per_day:
        raise ValidationError(
            _("今天上传的附件已达上限 (每天 %(n)d 个)") % {"n": limits.per_day}, code="daily"
        )


@dataclass(frozen=True)
class StoredUpload:
    """A file checked and written to storage by :func:`store` but not yet recorded (no
    database row): what a posting form hands to the posting pipeline, which records it
    with :func:`record` inside the posting transaction. Sizes in bytes, pixels for
    ``width``/``height`` (0 for other files); ``uploader_id`` is the member's pk."""

    uploader_id: int
    filename: str
    stored_name: str
    size: int
    content_type: str
    is_image: bool
    width: int = 0
    height: int = 0
    thumbnail_name: str = ""

    def sign(self) -> str:
        """A tamper-proof text form (for a hidden form field; :meth:`unsign` reads it)."""
        return signing.dumps(asdict(self), salt=_STAGED_SALT, compress=True)

    @classmethod
    def unsign(cls, token: str, user: User) -> StoredUpload:
        """The upload signed by :meth:`sign`, if it is ``user``'s and at most a day old.
        Raises ``ValidationError`` (code ``attachments``) otherwise."""
        try:
            data = signing.loads(token, salt=_STAGED_SALT, max_age=STAGED_MAX_AGE_SECONDS)
            stored = cls(**data)
        except (signing.BadSignature, TypeError):
            raise ValidationError(_("附件参数无效。"), code="attachments") from None
        if stored.uploader_id != user.pk:
            raise ValidationError(_("只能使用自己上传的附件。"), code="foreign")
        return stored

    def files(self) -> list[str]:
        """The storage names written for this upload."""
        return [n for n in (self.stored_name, self.thumbnail_name) if n]


_STAGED_SALT = "luntan.attachments.staged"
#: How long a file stored by a form may wait for its post (seconds).
STAGED_MAX_AGE_SECONDS = 86400


def store(user: User, uploaded_file: File, *, now: datetime | None = None) -> StoredUpload:
    """Validate ``uploaded_file`` (a Django ``UploadedFile``/``File`` with ``.name``) and
    write it (and an image's thumbnail) to storage; no database write.

    Checks, in order: ``user`` may post (else ``PermissionDenied`` with the reason); the
    name's extension is in ``LUNTAN_ATTACHMENT_EXTENSIONS``; the size in bytes is > 0 and
    ≤ the usergroup's ``max_bytes``; the day's upload count is < ``per_day``; the type
    detected from the content (:func:`luntan.attachments.sniff.detect`) is allowed and
    agrees with the extension; images pass :func:`~luntan.attachments.images.process_image`
    (pixel limit, ``verify``, re-encoding without EXIF, thumbnail). Raises
    ``ValidationError`` with a Chinese message and a ``code`` (``extension``, ``empty``,
    ``size``, ``daily``, ``type``, ``mismatch``, ``pixels``, ``image``) otherwise; nothing
    is stored then. Returns the :class:`StoredUpload`.
    """

    check_upload(user)  # may post, and the group's 允许上传附件 (PermissionDenied)
    now = now or timezone.now()
    limits = conf.limits_for(user)
    filename = clean_filename(getattr(uploaded_file, "name", ""))
    ext = extension_of(filename)
    allowed = conf.allowed_extensions()
    if ext not in allowed:
        raise ValidationError(
            _("不允许上传该类型的文件 (允许: %(exts)s)") % {"exts": ", ".join(sorted(allowed))},
            code="extension",
        )
    size = uploaded_file.size or 0
    if size <= 0:
        raise ValidationError(_("文件是空的。"), code="empty")
    if size > limits.max_bytes:
        raise ValidationError(
            _("附件大小超过限制 (最大 %(max)s)") % {"max": format_size(limits.max_bytes)},
            code="size",
        )
    _check_daily(user, limits, now)

    uploaded_file.open("rb")
    fileobj = uploaded_file.file
    if fileobj is None:  # File.open() reopens the file or raises
        raise ValueError(f"upload: {filename!r} has no open file")
    kind = sniff.detect(fileobj)
    if kind is sniff.UNKNOWN:
        raise ValidationError(_("无法识别的文件内容，不能上传。"), code="type")
    if ext not in kind.extensions:
        raise ValidationError(_("文件内容与扩展名不符 (.%(ext)s)") % {"ext": ext}, code="mismatch")

    storage = default_storage
    name = stored_name_for(kind.extension, now)
    width = height = 0
    thumb_name = ""
    written: list[str] = []
    try:
        if kind.is_image:
            image = process_image(
                fileobj, kind, max_pixels=conf.max_pixels(), thumb_width=conf.thumb_width()
            )
            width, height = image.width, image.height
            name = storage.save(name, ContentFile(image.data))
            written.append(name)
            size = len(image.data)
            if image.thumbnail is not None:
                thumb_name = stored_name_for(image.thumbnail_ext, now, ".thumb")
                thumb_name = storage.save(thumb_name, ContentFile(image.thumbnail))
                written.append(thumb_name)
        else:
            fileobj.seek(0)
            name = storage.save(name, File(fileobj))
            written.append(name)
            size = storage.size(name)
    except BaseException:
        for stored in written:
            _delete_file(stored)
        raise
    return StoredUpload(
        uploader_id=user.pk,
        filename=filename,
        stored_name=name,
        size=size,
        content_type=kind.mime,
        is_image=kind.is_image,
        width=width,
        height=height,
        thumbnail_name=thumb_name,
    )


def record(user: User, stored: StoredUpload, *, now: datetime | None = None) -> Attachment:
    """Write the unbound :class:`Attachment` row of ``stored`` (a file :func:`store`
    wrote for ``user``). The day's upload count is re-checked under a lock on the
    member's row (``ValidationError`` code ``daily``). Runs in a transaction (the
    caller's, when there is one). Returns the attachment."""
    now = now or timezone.now()
    if stored.uploader_id != user.pk:
        raise ValidationError(_("只能使用自己上传的附件。"), code="foreign")
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        _check_daily(user, conf.limits_for(user), now)
        return Attachment.objects.create(
            uploader=user,
            filename=stored.filename,
            stored_name=stored.stored_name,
            size=stored.size,
            content_type=stored.content_type,
            is_image=stored.is_image,
            width=stored.width,
            height=stored.height,
            thumbnail_name=stored.thumbnail_name,
            created=now,
        )


def upload(user: User, uploaded_file: File, *, now: datetime | None = None) -> Attachment:
    """:func:`store` then :func:`record`: validate ``uploaded_file``, write it and record
    it as an unbound :class:`Attachment` of ``user`` (the editor's upload button). Raises
    what those raise; the files are removed again when recording fails. Returns the
    saved attachment."""
    now = now or timezone.now()
    stored = store(user, uploaded_file, now=now)
    try:
        return record(user, stored, now=now)
    except BaseException:
        for name in stored.files():
            _delete_file(name)
        raise


def bind_to_post(post, attachment_ids, user: User, uploads=()) -> list[Attachment]:
    """The posting pipeline's binder (registered by
    :class:`luntan.attachments.apps.AttachmentsConfig`): record ``uploads`` (files a
    posting form stored, :class:`StoredUpload`) and bind them with ``attachment_ids``
    (earlier uploads of ``user``) to ``post``, inside the posting transaction. Raises
    ``ValidationError`` as :func:`record` and :func:`bind` do (the post is rolled back)."""
    ids = list(attachment_ids)
    for stored in uploads:
        ids.append(record(user, stored).pk)
    return bind(post, ids, user)


def bind(post, attachment_ids: Iterable[int], user: User) -> list[Attachment]:
    """Attach ``user``'s uploads ``attachment_ids`` to ``post`` (and its thread).

    Only attachments ``user`` uploaded that are unbound (or already bound to ``post``;
    binding again is a no-op) may be bound. Call it inside the posting transaction.
    Returns the bound attachments in id order. Raises ``ValidationError`` (code
    ``missing``) for an unknown id and (code ``foreign``) for someone else's upload or one
    bound to another post; nothing is bound then.
    """
    ids = sorted({int(i) for i in attachment_ids})
    if not ids:
        return []
    with transaction.atomic():
        rows = list(Attachment.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        if len(rows) != len(ids):
            raise ValidationError(_("附件不存在或已被删除。"), code="missing")
        for row in rows:
            if (
                row.uploader_id != user.pk
                or row.post_id not in (None, post.pk)
                or row.pm_message_id is not None
            ):
                raise ValidationError(_("只能使用自己上传的附件。"), code="foreign")
        Attachment.objects.filter(pk__in=ids).update(post=post, thread_id=post.thread_id)
        for _new in [r for r in rows if r.post_id is None]:  # 上传附件, once per file
            credits.award(user, "postattach", related=post)
    for row in rows:
        row.post, row.thread_id = post, post.thread_id
    return rows


def bind_to_pm(message, attachment_ids, user: User, uploads=()) -> list[Attachment]:
    """Record ``uploads`` (files a message form stored, :class:`StoredUpload`) and bind
    them with ``attachment_ids`` (earlier unbound uploads of ``user``) to the private
    message ``message`` (:class:`luntan.pms.models.Message`), inside the send
    transaction. Same checks as for posts (the files passed :func:`store`: content type,
    size and the group's upload right; :func:`record` re-checks the daily count); only
    ``user``'s own unbound uploads (no post, no message) may be bound. At most
    :data:`MAX_FILES_PER_MESSAGE` files. Raises ``ValidationError``
    (codes ``missing``, ``foreign``, ``daily``, ``attachments``); nothing is bound then.
    No credits are awarded (Discuz!'s ``postattach`` is for posts). Returns the bound
    attachments in id order."""
    ids = [int(i) for i in attachment_ids]
    with transaction.atomic():
        for stored in uploads:
            ids.append(record(user, stored).pk)
        ids = sorted(set(ids))
        if not ids:
            return []
        if len(ids) > MAX_FILES_PER_MESSAGE:
            raise ValidationError(
                _("每条短消息最多 %(n)d 个附件。") % {"n": MAX_FILES_PER_MESSAGE},
                code="attachments",
            )
        rows = list(Attachment.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        if len(rows) != len(ids):
            raise ValidationError(_("附件不存在或已被删除。"), code="missing")
        for row in rows:
            if (
                row.uploader_id != user.pk
                or row.post_id is not None
                or row.pm_message_id not in (None, message.pk)
            ):
                raise ValidationError(_("只能使用自己上传的附件。"), code="foreign")
        Attachment.objects.filter(pk__in=ids).update(pm_message=message)
    for row in rows:
        row.pm_message = message
    return rows


#: Files one private message may carry.
MAX_FILES_PER_MESSAGE = 20


def count_download(attachment_id: int) -> None:
    """Add one to the download count (下载次数) of attachment ``attachment_id`` (an ``F()``
    update: concurrent downloads are all counted)."""
    Attachment.objects.filter(pk=attachment_id).update(downloads=F("downloads") + 1)


def delete(attachment: Attachment) -> None:
    """Delete ``attachment``'s row and, after commit, its files."""
    names = [n for n in (attachment.stored_name, attachment.thumbnail_name) if n]
    with transaction.atomic():
        attachment.delete()

        def delete_files() -> None:
            for name in names:
                _delete_file(name)

        transaction.on_commit(delete_files)


def _delete_file(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:  # a missing file or a storage hiccup must not break the caller
        logger.warning("attachments: could not delete %s", name, exc_info=True)


def purge_orphans(older_than_seconds: int, *, now: datetime | None = None) -> int:
    """Delete unbound attachments (no post, no private message) created more than
    ``older_than_seconds`` seconds ago (abandoned uploads, and files of posts that were
    hard-deleted), rows and files.
    Returns how many were deleted. Works in batches of 500."""
    cutoff = (now or timezone.now()) - timedelta(seconds=older_than_seconds)
    done = 0
    while True:
        batch = list(
            Attachment.objects.filter(
                post__isnull=True, pm_message__isnull=True, created__lt=cutoff
            ).order_by("pk")[:500]
        )
        if not batch:
            return done
        with transaction.atomic():
            # Re-read under a lock: an upload bound meanwhile must keep its files.
            rows = list(
                Attachment.objects.select_for_update()
                .filter(pk__in=[a.pk for a in batch], post__isnull=True, pm_message__isnull=True)
                .values_list("pk", "stored_name", "thumbnail_name")
            )
            Attachment.objects.filter(pk__in=[pk for pk, _n, _t in rows]).delete()
        for _pk, stored, thumb in rows:
            for name in (stored, thumb):
                if name:
                    _delete_file(name)
        done += len(rows)


#: How many days of storage folders :func:`purge_unrecorded` looks through.
UNRECORDED_SCAN_DAYS = 7


def purge_unrecorded(
    older_than_seconds: int = STAGED_MAX_AGE_SECONDS,
    *,
    now: datetime | None = None,
    days: int = UNRECORDED_SCAN_DAYS,
) -> int:
    """Delete files a posting form stored (:func:`store`) that no post ever recorded: a
    form abandoned after an error, a double submit's second copy. Looks through the
    ``<dir>/YYYY/MM/DD`` folders (UTC days) of the ``days`` days that ended before the
    cutoff (``older_than_seconds`` ago, never less than :data:`STAGED_MAX_AGE_SECONDS`,
    so no file whose signed form reference is still valid is touched) and deletes the
    files no :class:`Attachment` names. Returns how many files were deleted."""
    age = max(int(older_than_seconds), STAGED_MAX_AGE_SECONDS)
    cutoff = (now or timezone.now()) - timedelta(seconds=age)
    last_day = cutoff.astimezone(ZoneInfo("UTC")).date() - timedelta(days=1)
    done = 0
    for back in range(days):
        day = last_day - timedelta(days=back)
        folder = f"{conf.storage_dir()}/{day:%Y/%m/%d}"
        try:
            _dirs, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotImplementedError):
            continue
        names = [f"{folder}/{name}" for name in files]
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            known = set(
                Attachment.objects.filter(stored_name__in=chunk).values_list(
                    "stored_name", flat=True
                )
            ) | set(
                Attachment.objects.filter(thumbnail_name__in=chunk).values_list(
                    "thumbnail_name", flat=True
                )
            )
            for name in chunk:
                if name not in known:
                    _delete_file(name)
                    done += 1
    return done
