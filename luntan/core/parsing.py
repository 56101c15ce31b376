"""Request parsing helpers every page uses (the bottom of the project's layers).

Parsers never raise: a malformed ``page``, ``author``, ``floor`` or ``type`` value is
treated as absent, so a crafted URL gives the first page, never a server error.
"""

from __future__ import annotations

import math
import re

# Largest id the database can hold (signed 64-bit); larger numbers would overflow queries.
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"^[0-9]{1,19}$")


#: C0 control characters other than tab, line feed and carriage return: XML 1.0 cannot
#: hold them (a feed with one fails to render), and no person types them.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_control_chars(text: str) -> bool:
    """Whether ``text`` holds a C0 control character other than ``\\t``, ``\\n``, ``\\r``
    (:data:`CONTROL_CHARS`)."""
    return CONTROL_CHARS.search(text) is not None


def strip_control_chars(text: str) -> str:
    """``text`` without the characters of :data:`CONTROL_CHARS` (imported Discuz! data
    may hold them); other text is returned unchanged."""
    return CONTROL_CHARS.sub("", text)


def parse_id(value: str | None) -> int | None:
    """Return ``value`` as a positive database id, or ``None`` when absent or malformed.

    Accepts decimal digits only (no sign, spaces or SQL), 1 ≤ id ≤ 2**63 - 1.
    """
    if not value or not _DIGITS.match(value):
        return None
    n = int(value)
    if n < 1 or n > MAX_ID:
        return None
    return n


def parse_page(value: str | None) -> int:
    """Return a 1-based page number from ``?page=``; malformed or < 1 gives 1.

    Very large numbers are kept (capped at 2**63 - 1) for the caller to clamp to the
    last page.
    """
    if not value:
        return 1
    value = value.strip()
    if not value.isascii() or not value.isdigit():
        return 1
    if len(value) > 19:
        return MAX_ID
    return max(1, min(int(value), MAX_ID))


def pages_for(count: int, per_page: int) -> int:
    """Number of pages (≥ 1) for ``count`` items at ``per_page`` a page."""
    return max(1, math.ceil(count / per_page))
