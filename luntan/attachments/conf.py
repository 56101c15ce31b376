"""Attachment settings, read from ``django.conf.settings`` with defaults.

| setting | meaning | default |
|---|---|---|
| ``LUNTAN_ATTACHMENT_EXTENSIONS`` | allowed extensions (lower case, no dot) | jpg jpeg png gif webp txt pdf zip rar 7z doc docx xls xlsx ppt pptx |
| ``LUNTAN_ATTACHMENT_MAX_PIXELS`` | largest image, width × height in pixels (all frames of an animation together) | 40,000,000 |
| ``LUNTAN_ATTACHMENT_THUMB_WIDTH`` | thumbnail width in pixels | 300 |
| ``LUNTAN_ATTACHMENT_LIMITS`` | per usergroup id: ``{"max_bytes": int, "per_day": int}``; key ``"default"`` for the rest; ``per_day`` 0 = unlimited | members 2 MB / 50, 新手上路 1 MB / 10, 管理员 20 MB / unlimited |
| ``LUNTAN_ATTACHMENT_DIR`` | folder inside the default storage | ``attachments`` |

Read on every call (cheap), so ``override_settings`` works in tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from luntan.accounts.groups import GroupId

MB = 1024 * 1024

DEFAULT_EXTENSIONS = "jpg jpeg png gif webp txt pdf zip rar 7z doc docx xls xlsx ppt pptx".split()
DEFAULT_LIMITS: dict[object, dict[str, int]] = {
    "default": {"max_bytes": 2 * MB, "per_day": 50},
    GroupId.ADMIN: {"max_bytes": 20 * MB, "per_day": 0},  # 管理员
    GroupId.NEWBIE: {"max_bytes": 1 * MB, "per_day": 10},  # 新手上路
}
ADMIN_GROUP_ID = GroupId.ADMIN


@dataclass(frozen=True)
class Limits:
    """Upload limits of one member: ``max_bytes`` per file, ``per_day`` uploads (0 = no limit)."""

    max_bytes: int
    per_day: int


def allowed_extensions() -> frozenset[str]:
    """The configured extension allow-list, lower case without dots."""
    exts = getattr(settings, "LUNTAN_ATTACHMENT_EXTENSIONS", DEFAULT_EXTENSIONS)
    return frozenset(e.strip().lower().lstrip(".") for e in exts if e.strip())


def max_pixels() -> int:
    """Largest accepted image area in pixels (width × height × frames)."""
    return int(getattr(settings, "LUNTAN_ATTACHMENT_MAX_PIXELS", 40_000_000))


def thumb_width() -> int:
    """Thumbnail width in pixels."""
    return int(getattr(settings, "LUNTAN_ATTACHMENT_THUMB_WIDTH", 300))


def storage_dir() -> str:
    """Folder inside the default storage that holds every attachment."""
    return str(getattr(settings, "LUNTAN_ATTACHMENT_DIR", "attachments")).strip("/")


def limits_for(user) -> Limits:
    """Return the :class:`Limits` of ``user``'s usergroup (superusers count as 管理员)."""
    table = getattr(settings, "LUNTAN_ATTACHMENT_LIMITS", DEFAULT_LIMITS)
    group_id = ADMIN_GROUP_ID if user.is_superuser else user.group_id
    row = table.get(group_id) or table.get(str(group_id)) or table.get("default")
    row = row or DEFAULT_LIMITS["default"]
    return Limits(max_bytes=int(row["max_bytes"]), per_day=int(row.get("per_day", 0)))


def format_size(size: int) -> str:
    """``size`` bytes as Discuz!'s ``sizecount()`` shows it: ``512 Bytes``, ``23.4 KB``,
    ``1.5 MB``, ``2 GB`` (1024-based, at most one decimal, trailing ``.0`` dropped)."""
    if size < 1024:
        return f"{size} Bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            return f"{value:.1f}".removesuffix(".0") + f" {unit}"
    raise AssertionError("unreachable")
