"""Member avatars (头像): where they are stored and the URL of each size.

Discuz! X3.4 (UCenter ``uc_server/avatar.php``) keeps three square JPEGs per member —
``small`` 48 px, ``middle`` 120 px, ``big`` 200 px — under a path made from the zero-padded
uid (``000/00/00/01_avatar_big.jpg`` for uid 1). luntan keeps the same three sizes in
Django's ``default_storage`` (local files now, S3 or the like later) under
``avatars/<a>/<b>/<c>/<d>_<version>_<size>.jpg``: a new upload gets a new version, so the
URLs can be cached for ever. ``User.avatar`` holds the stem (without ``_<size>.jpg``);
empty means the member has none and the generated default is shown: the first character
of the name on a colour derived from the member id (:func:`default_avatar_svg`), served
by ``accounts:default_avatar``.

Uploading (content checks, crop, the three sizes) is :mod:`luntan.members.avatars`;
this module only names files and builds URLs, with no query.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.storage import default_storage
from django.utils.html import escape

from luntan.core.urlcache import reverse_cached

#: Discuz!'s avatar sizes (UCenter ``avatar.php?size=``) in pixels, square.
SIZES: dict[str, int] = {"small": 48, "middle": 120, "big": 200}
#: The size used when a caller names none or an unknown one (Discuz!'s default).
DEFAULT_SIZE = "middle"


def normalise_size(size: str | int | None) -> str:
    """The size name for ``size``: ``"small"``/``"middle"``/``"big"`` as given, a pixel
    width (``48``/``120``/``200``, or any other int: the smallest size at least that
    wide, else ``"big"``), or :data:`DEFAULT_SIZE` for anything else (``None``, an
    unknown name — Discuz!'s ``avatar.php`` does the same)."""
    if isinstance(size, str) and size in SIZES:
        return size
    if isinstance(size, int) and not isinstance(size, bool):
        for name, px in sorted(SIZES.items(), key=lambda item: item[1]):
            if size <= px:
                return name
        return "big"
    return DEFAULT_SIZE


def uid_path(uid: int) -> str:
    """Discuz!'s directory and file prefix for a uid: ``1`` → ``000/00/00/01``
    (``sprintf("%09d")`` split 3/2/2/2; UCenter ``get_avatar``)."""
    padded = f"{int(uid):09d}"
    return f"{padded[0:3]}/{padded[3:5]}/{padded[5:7]}/{padded[7:9]}"


def stored_name(stem: str, size: str) -> str:
    """The storage name of size ``size`` (a name of :data:`SIZES`) of the avatar stem
    ``stem`` (``User.avatar``): ``<stem>_<size>.jpg``."""
    return f"{stem}_{size}.jpg"


def new_stem(user_id: int, content: bytes) -> str:
    """A fresh stem for ``user_id``'s avatar whose biggest size is ``content`` (bytes):
    ``avatars/000/00/00/01_<first 10 hex of its SHA-256>``. The version in the name lets
    browsers and CDNs cache a size for ever; a new upload gets a new name."""
    version = hashlib.sha256(content).hexdigest()[:10]
    return f"avatars/{uid_path(user_id)}_{version}"


def avatar_url(user: Any, size: str | int | None = DEFAULT_SIZE) -> str:
    """The URL of ``user``'s avatar in ``size`` — the one service every page and API uses.

    Args: ``user`` a :class:`~luntan.accounts.models.User` with ``pk`` and ``avatar``
    loaded (or ``None``/a guest: the default avatar of uid 0); ``size`` ``"small"`` (48 px),
    ``"middle"`` (120 px, the default) or ``"big"`` (200 px), or a pixel width
    (:func:`normalise_size`; unknown values give ``"middle"``, as Discuz!'s
    ``avatar.php?uid=&size=`` does).

    Returns a URL (absolute path or the storage's full URL): the uploaded JPEG from
    ``default_storage.url`` when the member has one, else the generated default
    (``/avatar/<uid>/<size>.svg``, an SVG of the name's first character on a colour from
    the uid). Makes no query and never raises for a member row; the file is not checked
    for existence (a stem is only stored after its three files are written).
    """
    name = normalise_size(size)
    stem = getattr(user, "avatar", "") or ""
    if stem:
        return default_storage.url(stored_name(stem, name))
    uid = getattr(user, "pk", None) or 0
    return reverse_cached("accounts:default_avatar", (int(uid), name))


#: Background colours of generated avatars (white text is readable on every one).
_PALETTE = (
    "#c0392b",
    "#d35400",
    "#b7950b",
    "#27ae60",
    "#16a085",
    "#2980b9",
    "#8e44ad",
    "#2c3e50",
    "#7f8c8d",
    "#e74c3c",
    "#1abc9c",
    "#3b5998",
)


def default_colour(uid: int) -> str:
    """The background colour (``#rrggbb``) of uid ``uid``'s generated avatar: fixed per
    uid, spread over :data:`_PALETTE` by a hash so neighbouring ids differ."""
    digest = hashlib.md5(str(int(uid)).encode(), usedforsecurity=False).digest()
    return _PALETTE[digest[0] % len(_PALETTE)]


def initial_of(name: str) -> str:
    """The character shown on a generated avatar: the first character of ``name``
    upper-cased (``"alice"`` → ``"A"``, ``"张三"`` → ``"张"``), ``"?"`` for an empty
    name."""
    name = (name or "").strip()
    return name[:1].upper() if name else "?"


def default_avatar_svg(uid: int, name: str, size: str | int | None = DEFAULT_SIZE) -> str:
    """The generated avatar of uid ``uid`` named ``name`` as an SVG document (str): a
    square of :data:`SIZES`\\ [size] pixels in :func:`default_colour` with
    :func:`initial_of` centred in white. The character is escaped."""
    px = SIZES[normalise_size(size)]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" '
        f'viewBox="0 0 100 100"><rect width="100" height="100" fill="{default_colour(uid)}"/>'
        '<text x="50" y="50" dy=".35em" text-anchor="middle" font-size="56" '
        "font-family=\"Helvetica,Arial,'WenQuanYi Micro Hei','Microsoft YaHei',sans-serif\" "
        f'fill="#fff">{escape(initial_of(name))}</text></svg>'
    )
