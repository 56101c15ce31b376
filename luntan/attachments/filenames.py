"""Display names of uploads and the ``Content-Disposition`` header that carries them.

The name a member's browser sent is only ever *shown* (and offered as the download
name); files are stored under random names (:func:`luntan.attachments.services.stored_name_for`).
:func:`clean_filename` still makes the shown name harmless everywhere it goes: no folders,
no control or invisible formatting characters (so ``exe.jpg`` can't be disguised with
U+202E RIGHT-TO-LEFT OVERRIDE), no characters Windows forbids, no reserved device names.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME_LENGTH = 120  # characters
_FORBIDDEN = re.compile(r'[<>:"/\\|?*;]')
_SPACES = re.compile(r"\s+")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.I)


def clean_filename(name: str | None, fallback: str = "附件") -> str:
    """Return a display name for an upload named ``name``.

    Keeps the last path component only (``../../x.php`` → ``x.php``, ``C:\\a\\b.txt`` →
    ``b.txt``), normalises to NFC, removes control (Cc), format (Cf: zero-width, bidi
    overrides) and unassigned characters, replaces ``< > : " / \\ | ? * ;`` with ``_``,
    collapses white space, strips leading/trailing dots and spaces, prefixes Windows
    device names (``CON``, ``NUL.txt``) with ``_`` and shortens to 120 characters keeping
    the extension. An empty result becomes ``fallback``. CJK names are kept as they are.
    """
    name = name or ""
    name = name.replace("\x00", "")
    name = re.split(r"[/\\]", name)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cn", "Cs", "Co"))
    name = _FORBIDDEN.sub("_", name)
    name = _SPACES.sub(" ", name).strip(" .")
    if _WINDOWS_RESERVED.match(name):
        name = "_" + name
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH].rstrip(" .")
    return name or fallback


def extension_of(name: str) -> str:
    """The lower-case extension of ``name`` without the dot (``"报名表.DOCX"`` → ``"docx"``);
    ``""`` when there is none."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def content_disposition(disposition: str, filename: str, fallback: str) -> str:
    """A ``Content-Disposition`` value (RFC 6266) carrying ``filename`` in UTF-8.

    ``disposition`` is ``"attachment"`` or ``"inline"``. The name goes in ``filename*``
    as RFC 5987 ``UTF-8''`` percent-encoding (CJK preserved for every current browser);
    ``filename=`` carries an ASCII fallback: ``filename`` itself when it is printable
    ASCII, else ``fallback`` (e.g. ``attachment-12.docx``). Quotes, backslashes and
    control characters never reach the header.
    """
    ascii_name = filename if filename.isascii() and filename.isprintable() else fallback
    ascii_name = re.sub(r'["\\\x00-\x1f\x7f;]', "_", ascii_name)
    encoded = quote(filename, safe="")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"
