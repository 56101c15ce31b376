"""Which markup a viewer may write (re-exported by :mod:`luntan.permissions`).

Group rights from Discuz! X3.4 ``common_usergroup_field``: ``allowhidecode`` (``[hide]``),
``allowpostimage`` (``[img]``), ``allowhtml``. The posting pipeline asks
:func:`check_markup_rights` for members' writes (not for imports or scripts); the censor
filter no longer does.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from luntan.permissions.viewer import ViewerLike, as_viewer


def can_use_hide_code(viewer: ViewerLike) -> bool:
    """May the viewer write ``[hide]`` (Discuz! allowhidecode)?"""
    v = as_viewer(viewer)
    return v.is_staff_moderator or v.rights.allow_hide_code


def can_use_html(viewer: ViewerLike) -> bool:
    """May the viewer write HTML (Discuz! allowhtml)? luntan's markup renders no raw HTML
    yet, so this is kept for the day it does."""
    return as_viewer(viewer).rights.allow_html


def can_post_images(viewer: ViewerLike) -> bool:
    """May the viewer embed images with ``[img]`` / ``![](…)`` (Discuz! allowpostimage)?"""
    v = as_viewer(viewer)
    return v.is_staff_moderator or v.rights.allow_post_image


_HIDE_TAG = re.compile(r"\[hide(?:=[^\]]*)?\]", re.IGNORECASE)
_IMG_BBCODE = re.compile(r"\[img(?:=[^\]]*)?\]", re.IGNORECASE)
_IMG_MARKDOWN = re.compile(r"!\[[^\]]*\]\(")


def check_markup_rights(viewer: ViewerLike, source: str, fmt: str = "bbcode") -> None:
    """Raise ``ValidationError`` (code ``hide`` or ``image``) when ``source`` (markup of
    format ``fmt``: ``"bbcode"`` or ``"markdown"``) uses markup the viewer's group may
    not: ``[hide]`` without ``allow_hide_code``, ``[img]`` (or Markdown ``![](…)``)
    without ``allow_post_image``. Attachments (``[attach]``) are the upload right's
    business."""
    v = as_viewer(viewer)
    if _HIDE_TAG.search(source) and not can_use_hide_code(v):
        raise ValidationError(_("您所在的用户组不能使用 [hide] 代码。"), code="hide")
    if not can_post_images(v):
        images = _IMG_BBCODE if fmt == "bbcode" else _IMG_MARKDOWN
        if images.search(source):
            raise ValidationError(_("您所在的用户组不能发布图片。"), code="image")
