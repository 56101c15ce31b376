"""Pure conversions of Discuz! X3.4 column values into luntan values (no database access)."""

from __future__ import annotations

import html
import ipaddress
import re
from datetime import UTC, datetime

import phpserialize

# Discuz!'s highlight colours (``$_G['forum_colorarray']`` in forum_forumdisplay.php): the
# units digit of ``forum_thread.highlight`` indexes this list, the tens digit holds the
# bold/italic/underline bits.
HIGHLIGHT_COLORS = (
    "",
    "#EE1B2E",
    "#EE5023",
    "#996600",
    "#3C9D40",
    "#2897C5",
    "#2B65B7",
    "#8F2A90",
    "#EC1282",
)

_TAG_RE = re.compile(r"<[^>]*>")
_HEX32_RE = re.compile(r"^[0-9a-f]{32}$")
_POLICE_RE = re.compile(r"[\u4e00-\u9fff]{1,3}公网安备\s*\d+\s*号")


def unix_to_utc(seconds: int | None) -> datetime:
    """Return Unix time ``seconds`` (Discuz! ``dateline``/``regdate``/``lastpost``, UTC
    seconds since 1970) as an aware UTC datetime; ``None``/negative give the epoch."""
    return datetime.fromtimestamp(max(int(seconds or 0), 0), tz=UTC)


def unescape_subject(text: str | None) -> str:
    """Return a Discuz!-stored subject as its displayed text.

    Discuz! stores ``forum_thread.subject`` through ``dhtmlspecialchars``: ``&amp; &quot;
    &lt; &gt;`` (and numeric entities for characters outside the charset). Only entities
    are decoded; tags are text in a subject.
    """
    return html.unescape(text or "")


def plain_name(text: str | None, max_length: int) -> str:
    """Return an admin-entered Discuz! name (``forum_forum.name``,
    ``forum_threadclass.name``, ``common_usergroup.grouptitle``; HTML allowed there) as
    plain text: tags dropped, entities decoded, cut to ``max_length`` characters."""
    return html.unescape(_TAG_RE.sub("", text or "")).strip()[:max_length]


def decode_highlight(value: int | None) -> str:
    """Return the colour of Discuz!'s ``forum_thread.highlight`` as ``#RRGGBB``.

    The value is two decimal digits: tens = style bits (bold 4 / italic 2 / underline 1;
    bold is read by :func:`decode_highlight_bold`), units = colour index 1–8 into :data:`HIGHLIGHT_COLORS`. Returns ``""``
    for no highlight or a style-only highlight.
    """
    value = int(value or 0)
    if value <= 0:
        return ""
    index = value % 10
    return HIGHLIGHT_COLORS[index] if index < len(HIGHLIGHT_COLORS) else ""


def decode_highlight_bold(value: int | None) -> bool:
    """Return whether Discuz!'s ``forum_thread.highlight`` sets bold (加粗).

    Discuz! stores ``style * 10 + color`` where ``style`` is the 3-bit number
    ``bindec(bold . italic . underline)`` (``topicadmin_moderate.php``; read back with
    ``sprintf('%03b', $string[0])``, ``$stylestr[0]`` being bold): bold is 4, italic 2,
    underline 1. Italic and underline are not kept.
    """
    value = int(value or 0)
    if value <= 0:
        return False
    return bool((value // 10) & 4)


def thread_state(displayorder: int) -> int:
    """Map ``forum_thread.displayorder`` to ``Thread.State``: ≥ 0 → 0 (normal), -1 → -1
    (recycle bin), -2 → -2 (awaiting review); other negative values (-3 ignored review,
    -4 draft) → -2 so they stay out of listings."""
    if displayorder >= 0:
        return 0
    if displayorder == -1:
        return -1
    return -2


def sticky_level(displayorder: int) -> int:
    """Map ``forum_thread.displayorder`` 1–3 to the sticky level 1–3 (4 and above → 3)."""
    return min(max(displayorder, 0), 3)


def post_state(invisible: int) -> int:
    """Map ``forum_post.invisible`` to ``Post.State``: 0 → 0, -1 → -1 (recycled with the
    thread), -2 and -3 → -2 (awaiting review / ignored review), -5 and any other negative
    → -5 (deleted reply); positive values count as visible."""
    if invisible >= 0:
        return 0
    if invisible == -1:
        return -1
    if invisible in (-2, -3):
        return -2
    return -5


def _php_text(value, charset: str = "utf-8") -> str:
    return value.decode(charset, "replace") if isinstance(value, bytes) else str(value)


def _php_bool(value) -> bool:
    """PHP truthiness of a scalar: ``0``, ``"0"``, ``""``, ``false`` and ``null`` are false."""
    if value is None or isinstance(value, dict):
        return bool(value)
    return _php_text(value).strip() not in ("", "0", "False")


def _php_plain(value, charset: str = "utf-8"):
    if isinstance(value, bytes):
        return _php_text(value, charset)
    if isinstance(value, dict):
        return {_php_plain(k, charset): _php_plain(v, charset) for k, v in value.items()}
    return value


def parse_php(serialized: str | bytes | None, charset: str = "utf-8"):
    """Parse a PHP ``serialize()`` value (Discuz! ``groupterms``, settings …) into Python:
    arrays become dicts with ``str``/``int`` keys, strings ``str``. PHP string lengths are
    byte counts in the site's ``charset``, so the text is encoded in it first. Returns
    ``None`` for an empty or corrupt value (which must not stop an import)."""
    if not serialized:
        return None
    data = serialized if isinstance(serialized, bytes) else serialized.encode(charset, "replace")
    try:
        value = phpserialize.loads(data, decode_strings=False)
    except Exception:
        return None
    if isinstance(value, bytes):
        return value.decode(charset, "replace")
    if isinstance(value, dict):
        return {
            (k.decode(charset, "replace") if isinstance(k, bytes) else k): _php_plain(v, charset)
            for k, v in value.items()
        }
    return value


def parse_threadtypes(serialized: str | None, charset: str = "utf-8") -> dict:
    """Parse ``forum_forumfield.threadtypes`` (PHP ``serialize()`` of an array).

    Returns ``{"required": bool, "prefix": bool, "types": {typeid: name}}``, or ``{}`` when
    the value is empty or not a valid serialized array. ``prefix`` is Discuz!'s
    ``prefix`` option (0 off, 1 text, 2 icon): any non-zero value shows the 【type】 prefix.
    PHP string lengths are byte counts in the site's ``charset`` (UTF-8 or GBK/BIG5
    edition), so the value is encoded in it and parsed as bytes.
    """
    if not serialized:
        return {}
    try:
        data = phpserialize.loads(serialized.encode(charset, "replace"))
    except Exception:  # a corrupt value must not stop the import
        return {}
    if not isinstance(data, dict):
        return {}
    fields = {_php_text(k, charset): v for k, v in data.items()}
    types = fields.get("types") or {}
    return {
        "required": _php_bool(fields.get("required")),
        "prefix": _php_bool(fields.get("prefix")),
        "types": (
            {int(k): _php_text(v, charset) for k, v in types.items()}
            if isinstance(types, dict)
            else {}
        ),
    }


#: Django hasher algorithm of an imported password by the Discuz! edition's charset.
PASSWORD_ALGORITHMS = {"utf-8": "discuz", "gbk": "discuz_gbk", "big5": "discuz_big5"}


def discuz_password(
    password_hash: str | None, salt: str | None, charset: str = "utf-8"
) -> str | None:
    """Return the Django password value ``discuz$<salt>$<hash>`` for UCenter's
    ``uc_members.password`` (``md5(md5(plaintext) . salt)``, 32 lower-case hex) and
    ``salt``; ``None`` when the pair is not in that form (the member then gets an
    unusable password and must reset it). ``charset``: the site's (``utf-8``, ``gbk``,
    ``big5``): the plaintext was hashed over its bytes in it, so GBK/BIG5 sites get
    ``discuz_gbk$…`` / ``discuz_big5$…`` (:mod:`luntan.accounts.hashers`)."""
    digest = (password_hash or "").strip().lower()
    salt = (salt or "").strip()
    if not _HEX32_RE.match(digest) or not salt or "$" in salt:
        return None
    return f"{PASSWORD_ALGORITHMS.get(charset, 'discuz')}${salt}${digest}"


def clean_ip(value: str | None) -> str | None:
    """Return a stored IP (``forum_post.useip``, ``common_member_status.regip``,
    ``uc_members.regip``) in canonical form, or ``None`` for ``''``, ``hidden``,
    ``Unknown`` and other non-addresses."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def find_police_filing(values) -> str:
    """Return the first 公安备案 number (``川公网安备 51200002000214号``) found in the
    given ``common_setting`` values (Discuz! has no setting of its own for it; sites put
    it in the ICP or footer text), or ``""``."""
    for value in values:
        if value and "公网安备" in value:
            found = _POLICE_RE.search(html.unescape(_TAG_RE.sub("", value)))
            if found:
                return found.group(0)
    return ""
