"""Avatar uploads (上传头像): content checks, the square crop and the three sizes.

The upload is checked as an attachment image is (:mod:`luntan.attachments`): its type
from its content (``sniff.detect``: JPEG, PNG, GIF or WebP, whatever its name says),
``LUNTAN_AVATAR_MAX_BYTES`` bytes at most (default 2 MiB), its pixel area from the header
before any pixel is decoded (``LUNTAN_ATTACHMENT_MAX_PIXELS``), then decoded and
re-encoded by Pillow (``images.process_image``: EXIF orientation applied, metadata
dropped). The square the member chose (``crop``: x, y, side in pixels of the upright
image; without JavaScript none is sent and the centred square is taken) is cut out and
saved as three JPEGs of Discuz!'s sizes (48, 120 and 200 px) through ``default_storage``
(:mod:`luntan.accounts.avatars` names them). The first frame of an animation is used.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from luntan.accounts import avatars
from luntan.accounts.models import User
from luntan.attachments import conf as attachment_conf
from luntan.attachments import sniff
from luntan.attachments.images import process_image

JPEG_QUALITY = 90


def max_bytes() -> int:
    """The largest avatar upload in bytes (``LUNTAN_AVATAR_MAX_BYTES``, default 2 MiB)."""
    return int(getattr(settings, "LUNTAN_AVATAR_MAX_BYTES", 2 * 1024 * 1024))


@dataclass(frozen=True)
class Crop:
    """A square in the upright image: left ``x``, top ``y`` and ``side``, in pixels."""

    x: int
    y: int
    side: int


def centre_crop(width: int, height: int) -> Crop:
    """The largest square centred in a ``width`` × ``height`` image (the crop used
    without JavaScript or when the requested one is unusable)."""
    side = min(width, height)
    return Crop((width - side) // 2, (height - side) // 2, side)


def fit_crop(crop: Crop | None, width: int, height: int) -> Crop:
    """``crop`` clamped into a ``width`` × ``height`` image (a square never larger than
    the image's short side); :func:`centre_crop` when ``crop`` is ``None`` or its side
    is under 1 pixel."""
    if crop is None or crop.side < 1:
        return centre_crop(width, height)
    side = min(crop.side, width, height)
    x = min(max(crop.x, 0), width - side)
    y = min(max(crop.y, 0), height - side)
    return Crop(x, y, side)


def render_sizes(data: bytes, crop: Crop | None) -> dict[str, bytes]:
    """The three avatar JPEGs (``{"small": bytes, "middle": …, "big": …}``) cut from the
    re-encoded image ``data`` at ``crop`` (:func:`fit_crop`). Transparency is laid on
    white. Raises ``ValidationError`` (code ``image``) when Pillow cannot read ``data``."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.seek(0)
            frame = img.convert("RGBA")
    except (OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(_("图片文件已损坏或格式不对。"), code="image") from exc
    square = fit_crop(crop, *frame.size)
    cut = frame.crop((square.x, square.y, square.x + square.side, square.y + square.side))
    flat = Image.new("RGB", cut.size, (255, 255, 255))
    flat.paste(cut, mask=cut.getchannel("A"))
    out: dict[str, bytes] = {}
    for name, px in avatars.SIZES.items():
        sized = flat.resize((px, px), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        sized.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
        out[name] = buffer.getvalue()
    return out


def check_upload(fileobj: IO[bytes], size: int | None = None) -> bytes:
    """Check an avatar upload (binary, seekable) and return the image re-encoded (bytes).

    ``size``: the upload's length in bytes when known (else measured). Raises
    ``ValidationError`` with a message for the member: code ``too_big`` (over
    :func:`max_bytes`), ``not_image`` (the content is not JPEG/PNG/GIF/WebP — the name
    is not trusted), ``pixels`` (over ``LUNTAN_ATTACHMENT_MAX_PIXELS``, found from the
    header alone), ``image`` (damaged).
    """
    if size is None:
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(0)
    if size > max_bytes():
        raise ValidationError(
            _("头像文件太大：最多 %(limit)s。")
            % {"limit": attachment_conf.format_size(max_bytes())},
            code="too_big",
        )
    kind = sniff.detect(fileobj)
    if not kind.is_image:
        raise ValidationError(_("头像必须是 JPG、PNG、GIF 或 WebP 图片。"), code="not_image")
    processed = process_image(
        fileobj,
        kind,
        max_pixels=attachment_conf.max_pixels(),
        thumb_width=10**9,  # no thumbnail: the sizes are made here
    )
    return processed.data


def upload_avatar(user: User, fileobj: IO[bytes], crop: Crop | None = None) -> str:
    """Set ``user``'s avatar from the upload in ``fileobj`` cut at ``crop``.

    Checks (:func:`check_upload`), crops and scales (:func:`render_sizes`), writes the
    three files to ``default_storage`` under a fresh stem, then stores the stem on the
    member in a transaction; the previous files are deleted after the commit. Returns
    the new stem. Raises ``ValidationError`` (see :func:`check_upload`); nothing is
    stored then.
    """
    data = check_upload(fileobj)
    sizes = render_sizes(data, crop)
    stem = avatars.new_stem(user.pk, sizes["big"])
    for name, content in sizes.items():
        path = avatars.stored_name(stem, name)
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(content))
    old = _replace_stem(user, stem)
    if old and old != stem:
        transaction.on_commit(lambda: _delete_files(old))
    return stem


def remove_avatar(user: User) -> bool:
    """Go back to the generated default avatar: the stem cleared, the files deleted after
    the commit. Returns True when the member had an avatar."""
    old = _replace_stem(user, "")
    if old:
        transaction.on_commit(lambda: _delete_files(old))
    return bool(old)


def _replace_stem(user: User, stem: str) -> str:
    with transaction.atomic():
        old = User.objects.select_for_update().values_list("avatar", flat=True).get(pk=user.pk)
        User.objects.filter(pk=user.pk).update(avatar=stem)
    user.avatar = stem
    return old


def _delete_files(stem: str) -> None:
    for name in avatars.SIZES:
        path = avatars.stored_name(stem, name)
        if default_storage.exists(path):
            default_storage.delete(path)


def store_imported(user: Any, sizes: dict[str, bytes]) -> str:
    """Store the avatar of an imported member from Discuz!'s files (``sizes``: size name
    → bytes of ``_avatar_small.jpg`` …): the biggest one present is checked
    (:func:`check_upload`) and the three sizes are made from it (centre square). Returns
    the stem. Raises
    ``ValidationError`` for a file that is not a usable image, ``ValueError`` when
    ``sizes`` is empty."""
    if not sizes:
        raise ValueError("no avatar file")
    biggest = max(sizes, key=lambda name: avatars.SIZES.get(name, 0))
    data = check_upload(io.BytesIO(sizes[biggest]))
    made = render_sizes(data, None)
    stem = avatars.new_stem(user.pk, made["big"])
    for name, content in made.items():
        path = avatars.stored_name(stem, name)
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(content))
    old = _replace_stem(user, stem)
    if old and old != stem:
        transaction.on_commit(lambda: _delete_files(old))
    return stem
