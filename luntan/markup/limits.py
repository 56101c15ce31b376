"""Caps on what a member may submit as markup, and the work budget of one render.

Issue 9: two concurrent 1.2 MB previews killed both workers. Every markup input is
therefore measured *before* it is parsed, for everyone (staff included), and every render
has a bounded amount of work.

Input caps (:func:`check_input`, raising :class:`MarkupLimitError`), per input kind:

======================  ====================================  ============================
what                    setting                               default
======================  ====================================  ============================
UTF-8 bytes of a post   ``LUNTAN_MARKUP_MAX_BYTES["post"]``     65,536 (new thread, reply,
and of a preview        ``LUNTAN_MARKUP_MAX_BYTES["preview"]``  edit; 6.5× Discuz!'s 10,000
                                                                maxpostsize in ASCII, ~4×
                                                                for Chinese)
bytes of a signature    ``LUNTAN_MARKUP_MAX_BYTES["signature"]`` 4,096
bytes of a private      ``LUNTAN_MARKUP_MAX_BYTES["pm"]``       32,768
message
images in one input     ``LUNTAN_MARKUP_MAX_IMAGES``            30 (``[img]``, Markdown
                                                                ``![]()``)
smilies in one input    ``LUNTAN_MARKUP_MAX_SMILIES``           10 (Discuz! ``maxsmilies``
                                                                default; emoji and
                                                                ``{:N_M:}`` codes)
markup elements         ``LUNTAN_MARKUP_MAX_ELEMENTS``          5,000 (BBCode tags /
                                                                Markdown tokens)
======================  ====================================  ============================

The render budget (:func:`render_budget`, used by :func:`luntan.markup.render` for any
source, stored ones included): a source longer than
``LUNTAN_MARKUP_RENDER_MAX_BYTES`` (default 262,144), more than ``max_elements`` parsed
elements, or an HTML result longer than ``LUNTAN_MARKUP_RENDER_MAX_HTML_CHARS`` (default
1,048,576 characters) is shown as escaped plain text under a notice (:data:`DEGRADED_NOTICE`)
instead of being rendered: linear time, never an error.

A post's *length* limit (``post_max_length``, Discuz! ``dstrlen``: a Chinese character
counts 2) is the posting services' rule; the byte cap here is the hard ceiling above it.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POST = "post"
PREVIEW = "preview"
SIGNATURE = "signature"
PM = "pm"
INPUT_KINDS = (POST, PREVIEW, SIGNATURE, PM)

DEFAULT_MAX_BYTES = {POST: 65_536, PREVIEW: 65_536, SIGNATURE: 4_096, PM: 32_768}
DEFAULT_MAX_IMAGES = 30
DEFAULT_MAX_SMILIES = 10  # Discuz! X3.4 install data: maxsmilies = 10
DEFAULT_MAX_ELEMENTS = 5_000
DEFAULT_RENDER_MAX_BYTES = 262_144
DEFAULT_RENDER_MAX_HTML_CHARS = 1_048_576

#: Shown above a post rendered as plain text because it is over the render budget. Part
#: of the stored HTML, so in the site's language (Chinese), like 本帖隐藏的内容.
DEGRADED_NOTICE = "内容过长或标签过多，以纯文本显示。"

_NUMBERED_SMILEY = regex.compile(r"\{:\d{1,4}_\d{1,6}:\}")
# A grapheme cluster is shown as an emoji when it holds an emoji-presentation character,
# an emoji variation selector (U+FE0F) or a keycap (U+20E3).
_GRAPHEME = regex.compile(r"\X")
_EMOJI_MARK = regex.compile(r"[\p{Emoji_Presentation}\ufe0f\u20e3]")


class MarkupLimitError(ValidationError):
    """An input over one of the caps of this module; a ``ValidationError``, so a form's
    ``clean()`` can raise it as it is and the message lands on the form.

    ``code``: ``"too_large"`` (bytes), ``"too_many_images"``, ``"too_many_smilies"`` or
    ``"too_complex"`` (elements); ``params`` hold ``n`` (what was counted) and ``max``;
    the message says what is counted and the limit.
    """


@dataclass(frozen=True)
class Caps:
    """The caps in force for one input kind (0 turns a count cap off)."""

    max_bytes: int
    max_images: int
    max_smilies: int
    max_elements: int


def caps_for(kind: str) -> Caps:
    """The caps for ``kind`` (one of :data:`INPUT_KINDS`) from the settings.

    Raises ``ValueError`` for an unknown kind."""
    if kind not in INPUT_KINDS:
        raise ValueError(f"unknown markup input kind {kind!r}; expected one of {INPUT_KINDS}")
    max_bytes = {**DEFAULT_MAX_BYTES, **getattr(settings, "LUNTAN_MARKUP_MAX_BYTES", {})}
    return Caps(
        max_bytes=int(max_bytes[kind]),
        max_images=int(getattr(settings, "LUNTAN_MARKUP_MAX_IMAGES", DEFAULT_MAX_IMAGES)),
        max_smilies=int(getattr(settings, "LUNTAN_MARKUP_MAX_SMILIES", DEFAULT_MAX_SMILIES)),
        max_elements=max_elements(),
    )


def max_elements() -> int:
    """``LUNTAN_MARKUP_MAX_ELEMENTS``: most markup elements one input may have and one
    render builds."""
    return int(getattr(settings, "LUNTAN_MARKUP_MAX_ELEMENTS", DEFAULT_MAX_ELEMENTS))


@dataclass(frozen=True)
class RenderBudget:
    """Work one render may do: source bytes (UTF-8), parsed elements, HTML characters."""

    max_source_bytes: int
    max_elements: int
    max_html_chars: int


def render_budget() -> RenderBudget:
    """The render budget from the settings (see the module docstring)."""
    return RenderBudget(
        max_source_bytes=int(
            getattr(settings, "LUNTAN_MARKUP_RENDER_MAX_BYTES", DEFAULT_RENDER_MAX_BYTES)
        ),
        max_elements=max_elements(),
        max_html_chars=int(
            getattr(settings, "LUNTAN_MARKUP_RENDER_MAX_HTML_CHARS", DEFAULT_RENDER_MAX_HTML_CHARS)
        ),
    )


class BudgetExceeded(Exception):
    """Raised inside a render when the budget is used up; :func:`luntan.markup.render`
    turns it into the plain-text fallback (never seen by callers)."""


def utf8_size(text: str) -> int:
    """Bytes of ``text`` in UTF-8 (unpaired surrogates count 3), without encoding it."""
    return len(text.encode("utf-8", "surrogatepass"))


def count_smilies(text: str) -> int:
    """Smilies in ``text``: Discuz!'s numbered ``{:TYPE_ID:}`` codes plus grapheme
    clusters shown as an emoji (a family 👨‍👩‍👧 or a flag counts once; ©, ® and digits
    written as text do not count)."""
    total = len(_NUMBERED_SMILEY.findall(text))
    if text.isascii():
        return total
    for cluster in _GRAPHEME.findall(text):
        if len(cluster) == 1 and cluster < "\u2000":
            continue
        if _EMOJI_MARK.search(cluster):
            total += 1
    return total


def size_error(n_bytes: int, limit: int) -> MarkupLimitError:
    """The error for an input of ``n_bytes`` bytes over ``limit``."""
    return MarkupLimitError(
        _("内容太长：%(n)d 字节，最多 %(max)d 字节（按 UTF-8 计算，一个汉字占 3 字节）。"),
        code="too_large",
        params={"n": n_bytes, "max": limit},
    )


def check_size(source: str, kind: str) -> None:
    """Refuse ``source`` when its UTF-8 size is over the byte cap of ``kind``.

    Raises :class:`MarkupLimitError` (code ``too_large``); does not parse anything."""
    limit = caps_for(kind).max_bytes
    if limit and len(source) * 4 > limit:  # cheap pre-check: a character is ≤ 4 bytes
        n_bytes = utf8_size(source)
        if n_bytes > limit:
            raise size_error(n_bytes, limit)


def count_error(code: str, n: int, limit: int) -> MarkupLimitError:
    """The error for ``n`` images/smilies/elements (``code``) over ``limit``."""
    messages = {
        "too_many_images": _(
            "图片太多：%(n)d 张，每帖最多 %(max)d 张（[img] 标签和 Markdown 图片都算）。"
        ),
        "too_many_smilies": _(
            "表情太多：%(n)d 个，每帖最多 %(max)d 个（表情符号和 {:N_M:} 表情代码都算）。"
        ),
        "too_complex": _("格式标签太多：最多 %(max)d 个。"),
    }
    return MarkupLimitError(messages[code], code=code, params={"n": n, "max": limit})
