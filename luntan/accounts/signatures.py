"""Signatures (签名): the group limits, rendering and whether one is shown.

Discuz! X3.4 keeps a member's signature as BBCode (``common_member_field_forum.sightml``
holds its rendered HTML) and limits it per usergroup (``common_usergroup_field``):
``maxsigsize`` characters (0: no signature), ``allowsigbbcode`` and ``allowsigimgcode``.
luntan stores both the source (``User.signature``) and the sanitised HTML
(``User.signature_html``, rendered by :func:`luntan.accounts.services.set_signature`), so
a thread page shows signatures with no rendering and no query (:func:`shown_signature`).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from luntan import markup
from luntan.accounts.groups import BANNED_GROUPS

_IMG = re.compile(r"\[img\b", re.IGNORECASE)


def check_group_limits(group: Any, text: str) -> None:
    """Raise ``ValidationError`` when ``text`` (a signature's source) breaks the limits
    of usergroup ``group``: code ``sig_forbidden`` (``max_sig_size`` 0 and ``text`` not
    empty), ``sig_length`` (more characters than ``max_sig_size``, counted as Discuz!
    counts ``maxsigsize``: characters of the source), ``sig_image`` (``[img]`` without
    ``allow_sig_images``). An empty ``text`` always passes."""
    if not text:
        return
    if group.max_sig_size <= 0:
        raise ValidationError(_("您所在的用户组不能使用签名。"), code="sig_forbidden")
    if len(text) > group.max_sig_size:
        raise ValidationError(
            _("签名太长：%(count)d 个字符，您所在的用户组最多 %(limit)d 个字符。")
            % {"count": len(text), "limit": group.max_sig_size},
            code="sig_length",
        )
    if not group.allow_sig_images and _IMG.search(text):
        raise ValidationError(_("您所在的用户组不能在签名中使用图片。"), code="sig_image")


def render_signature(text: str, group: Any) -> str:
    """The sanitised HTML (str) of signature source ``text`` for a member of ``group``:
    BBCode through :func:`luntan.markup.render` when the group has
    ``allow_sig_bbcode``, else the text escaped with its line breaks; ``""`` for an empty
    text."""
    if not text:
        return ""
    if group.allow_sig_bbcode:
        return markup.render(text, "bbcode")
    return linebreaks(escape(text))


def sanitise_imported(html: str) -> str:
    """Discuz!'s stored signature HTML (``sightml``) through luntan's sanitiser: the
    allow-list of :mod:`luntan.markup.sanitize` (scripts, event handlers and foreign
    styles removed). Returns safe HTML (str)."""
    from luntan.markup.sanitize import sanitize_html

    return sanitize_html(html or "")


def shown_signature(user: Any) -> str:
    """The signature HTML to show under ``user``'s posts, or ``""``: none for a member of
    a banned group (禁止发言, 禁止访问, 禁止 IP — Discuz! hides them too) or of a group
    whose ``max_sig_size`` is 0 (the group may not have one now). ``user`` needs
    ``group_id``, ``signature_html`` and ``group.max_sig_size`` loaded; no query."""
    html = getattr(user, "signature_html", "") or ""
    if not html or user.group_id in BANNED_GROUPS:
        return ""
    if getattr(user.group, "max_sig_size", 1) <= 0:
        return ""
    return html
