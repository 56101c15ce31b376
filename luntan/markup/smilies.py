"""Smiley codes. Posts keep them as readable text (``:)``, ``:lol``); quote excerpts drop
the numbered ``{:2_25:}`` codes, which mean nothing without their image, as Discuz!'s
``messagecutstr()`` drops smilies."""

from __future__ import annotations

import re

NUMBERED_SMILEY = re.compile(r"\{:\d{1,4}_\d{1,6}:\}")


def strip_numbered_smilies(text: str) -> str:
    """Remove ``{:TYPE_ID:}`` smiley codes from ``text``."""
    return NUMBERED_SMILEY.sub("", text)
