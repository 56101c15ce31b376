"""Image checks and re-encoding with Pillow.

:func:`process_image` opens an upload that :mod:`~luntan.attachments.sniff` found to be
a JPEG, PNG, GIF or WebP file, refuses decompression bombs *before* any pixel is decoded
(``Image.open`` reads only the header; the size it declares is checked against
``LUNTAN_ATTACHMENT_MAX_PIXELS``), checks the file with ``verify()``, then decodes it and
writes a clean copy: EXIF orientation applied to the pixels, and EXIF (GPS, camera, …),
XMP and comments dropped. The ICC colour profile is kept. Animated GIF and WebP keep
their frames. A thumbnail ``LUNTAN_ATTACHMENT_THUMB_WIDTH`` pixels wide is made for
wider images (JPEG, or PNG when the image has transparency).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from luntan.attachments.sniff import Kind

# Kept from the decoded image's info when re-encoding; everything else (exif, xmp,
# comment, dpi, text chunks, …) is dropped.
_KEEP_INFO = ("icc_profile", "transparency", "duration", "loop", "background", "disposal")
JPEG_QUALITY = 88
THUMB_MAX_RATIO = 4  # a thumbnail is at most this many times taller than wide


@dataclass(frozen=True)
class ProcessedImage:
    """A re-encoded image: ``data`` in the upload's own format, its ``width``/``height`` in
    pixels, and ``thumbnail`` bytes with ``thumbnail_ext`` (``"jpg"``/``"png"``) or
    ``None`` when the image is no wider than the thumbnail width."""

    data: bytes
    width: int
    height: int
    thumbnail: bytes | None
    thumbnail_ext: str


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def _open(fileobj: IO[bytes], kind: Kind) -> Image.Image:
    fileobj.seek(0)
    with warnings.catch_warnings():
        # Pillow warns above its own limit (~89 MP) and raises above twice that; our
        # own, lower limit is checked by the caller from the header.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(fileobj, formats=[kind.pil_format])


def _too_large(pixels: int, limit: int) -> ValidationError:
    return ValidationError(
        _("图片尺寸过大 (最多 %(limit)s 百万像素)") % {"limit": _megapixels(limit)},
        code="pixels",
    )


def _clean_info(img: Image.Image) -> None:
    img.info = {k: v for k, v in img.info.items() if k in _KEEP_INFO}


def _thumbnail(img: Image.Image, width: int) -> tuple[bytes, str]:
    thumb = img.copy()
    thumb.thumbnail((width, width * THUMB_MAX_RATIO), Image.Resampling.LANCZOS)
    has_alpha = thumb.mode in ("RGBA", "LA", "PA") or (
        thumb.mode == "P" and "transparency" in thumb.info
    )
    out = io.BytesIO()
    if has_alpha:
        thumb.convert("RGBA").save(out, "PNG", optimize=True)
        return out.getvalue(), "png"
    if thumb.mode not in ("RGB", "L"):
        thumb = thumb.convert("RGB")
    thumb.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue(), "jpg"


def process_image(
    fileobj: IO[bytes], kind: Kind, *, max_pixels: int, thumb_width: int
) -> ProcessedImage:
    """Validate and re-encode the image in ``fileobj`` (binary, seekable) of ``kind``.

    ``max_pixels``: the largest width × height (× frames for animations) accepted;
    ``thumb_width``: thumbnail width in pixels. Returns a :class:`ProcessedImage`.
    Raises ``ValidationError`` (code ``pixels``) for a larger image, found from the header
    alone, without decoding pixels; (code ``image``) for a file Pillow cannot read or
    whose data is damaged.
    """
    try:
        img = _open(fileobj, kind)
    except Image.DecompressionBombError:
        raise _too_large(0, max_pixels) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(_("图片文件已损坏或格式不对。"), code="image") from exc
    width, height = img.size
    if width < 1 or height < 1 or width * height > max_pixels:
        raise _too_large(width * height, max_pixels)
    try:
        frames = getattr(img, "n_frames", 1)
        if width * height * frames > max_pixels:
            raise _too_large(width * height * frames, max_pixels)
        img.verify()
        img = _open(fileobj, kind)
        animated = frames > 1
        if animated:
            _clean_info(img)
            out = io.BytesIO()
            img.save(out, kind.pil_format, save_all=True)
            img.seek(0)
            first = img.convert("RGBA")
        else:
            img.load()
            upright = ImageOps.exif_transpose(img) or img
            _clean_info(upright)
            out = io.BytesIO()
            params: dict = {"icc_profile": upright.info.get("icc_profile")}
            if kind.pil_format == "JPEG":
                params.update(quality=JPEG_QUALITY, optimize=True)
                if upright.mode not in ("RGB", "L", "CMYK"):
                    upright = upright.convert("RGB")
            elif kind.pil_format == "WEBP":
                params.update(quality=JPEG_QUALITY)
            upright.save(out, kind.pil_format, **{k: v for k, v in params.items() if v})
            first = upright
            width, height = upright.size
    except ValidationError:
        raise
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("图片文件已损坏或格式不对。"), code="image") from exc
    thumbnail, thumb_ext = (None, "")
    if width > thumb_width:
        thumbnail, thumb_ext = _thumbnail(first, thumb_width)
    return ProcessedImage(out.getvalue(), width, height, thumbnail, thumb_ext)
