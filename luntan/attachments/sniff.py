"""File type from content (magic bytes), never from the name or the client's Content-Type.

:func:`detect` looks at the first bytes (and, for ZIP files, the archive's member names)
and returns a :class:`Kind` with the extensions a file of that kind may carry. Only the
kinds luntan can accept are recognised; markup (HTML, SVG, XML, PHP, scripts) is
recognised so that it can be refused, and everything else is ``UNKNOWN``. Text must be
UTF-8 (BOM allowed) or GB18030 with no NUL bytes and must not look like markup in its
first kilobyte (the WHATWG MIME sniffing rule for HTML, widened to XML, SVG and PHP).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from typing import IO

#: How many bytes of a file :func:`detect` reads for the magic numbers and text checks.
HEAD_BYTES = 8192


@dataclass(frozen=True)
class Kind:
    """A recognised content type: ``name`` (short id), ``mime`` (stored Content-Type),
    ``extensions`` a file of this kind may be named with (first = canonical, used for the
    stored name), ``is_image`` for raster images Pillow re-encodes, ``pil_format`` the
    Pillow format name."""

    name: str
    mime: str
    extensions: tuple[str, ...]
    is_image: bool = False
    pil_format: str = ""

    @property
    def extension(self) -> str:
        """The canonical extension, used for the stored file name."""
        return self.extensions[0] if self.extensions else "bin"


JPEG = Kind("jpeg", "image/jpeg", ("jpg", "jpeg"), True, "JPEG")
PNG = Kind("png", "image/png", ("png",), True, "PNG")
GIF = Kind("gif", "image/gif", ("gif",), True, "GIF")
WEBP = Kind("webp", "image/webp", ("webp",), True, "WEBP")
PDF = Kind("pdf", "application/pdf", ("pdf",))
ZIP = Kind("zip", "application/zip", ("zip",))
RAR = Kind("rar", "application/vnd.rar", ("rar",))
SEVEN_Z = Kind("7z", "application/x-7z-compressed", ("7z",))
# Office 97–2003 files are OLE2 compound documents; telling them apart needs a parse of
# the compound file's directory, so any of the three names is accepted.
OLE2 = Kind("ole2", "application/x-ole-storage", ("doc", "xls", "ppt"))
DOCX = Kind(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
)
XLSX = Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PPTX = Kind(
    "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)
)
TEXT = Kind("text", "text/plain", ("txt",))
SVG = Kind("svg", "image/svg+xml", ("svg",))
# Markup and scripts: recognised only to be refused (no extension is allowed for them).
MARKUP = Kind("markup", "text/html", ())
UNKNOWN = Kind("unknown", "application/octet-stream", ())

_MAGIC: list[tuple[bytes, int, Kind]] = [
    (b"\xff\xd8\xff", 0, JPEG),
    (b"\x89PNG\r\n\x1a\n", 0, PNG),
    (b"GIF87a", 0, GIF),
    (b"GIF89a", 0, GIF),
    (b"%PDF-", 0, PDF),
    (b"Rar!\x1a\x07\x00", 0, RAR),
    (b"Rar!\x1a\x07\x01\x00", 0, RAR),
    (b"7z\xbc\xaf\x27\x1c", 0, SEVEN_Z),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, OLE2),
]
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

# Markup a browser (or a PHP interpreter) would act on, looked for in the first kilobyte
# of anything that is not binary: tags that start HTML documents or run script, XML and
# SVG documents, PHP open tags.
_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|frame|frameset|object|embed"
    rb"|svg|math|img|a|style|link|meta|base|form|title|table|div|p|br|font|b|h1)[\s/>]"
    rb"|<!--|<\?xml|<\?php|<\?=|<%",
    re.IGNORECASE,
)
_SVG = re.compile(rb"<svg[\s>]", re.IGNORECASE)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _zip_kind(fileobj: IO[bytes]) -> Kind:
    """Tell an Office Open XML document from a plain ZIP by its member names."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set()
            for i, info in enumerate(archive.infolist()):
                if i > 10_000:  # a pathological central directory; a plain ZIP is enough
                    break
                names.add(info.filename)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ZIP
    if "[Content_Types].xml" in names:
        tops = {name.split("/", 1)[0] for name in names}
        if "word" in tops:
            return DOCX
        if "xl" in tops:
            return XLSX
        if "ppt" in tops:
            return PPTX
    return ZIP


def _text_kind(head: bytes, complete: bool) -> Kind:
    """``TEXT`` for plain text, ``SVG``/``MARKUP`` for markup, ``UNKNOWN`` for binary."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UNKNOWN  # UTF-16 text hides markup from byte scans; not accepted
    body = head[len(codecs.BOM_UTF8) :] if head.startswith(codecs.BOM_UTF8) else head
    if b"\x00" in body:
        return UNKNOWN
    first_k = body[:1024]
    if _SVG.search(first_k):
        return SVG
    if _MARKUP.search(first_k):
        return MARKUP
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            text = decoder.decode(body, final=complete)
        except UnicodeDecodeError:
            continue
        if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
            return UNKNOWN
        return TEXT
    return UNKNOWN


def detect(fileobj: IO[bytes]) -> Kind:
    """Return the :class:`Kind` of the file open in ``fileobj`` (binary, seekable).

    Reads at most :data:`HEAD_BYTES` bytes from the start (plus the central directory of
    a ZIP) and leaves the position at 0. Never raises for any content; unrecognised
    content gives ``UNKNOWN``.
    """
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    complete = len(fileobj.read(1)) == 0
    fileobj.seek(0)
    try:
        for magic, offset, kind in _MAGIC:
            if head[offset : offset + len(magic)] == magic:
                return kind
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return WEBP
        if head[:4] in _ZIP_MAGIC:
            return _zip_kind(fileobj)
        return _text_kind(head, complete)
    finally:
        fileobj.seek(0)
