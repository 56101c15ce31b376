"""URL safety for links and images in rendered posts.

Every ``href``/``src`` that luntan writes goes through :func:`safe_url`, first when the
BBCode or Markdown renderer builds the tag and again in the sanitiser's attribute filter.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

#: Absolute link targets a post may use (issue 9: ``ftp:`` and every other scheme are
#: dropped); site-relative targets are always allowed.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})
MAX_URL_LENGTH = 2048

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# ASCII controls, whitespace and characters browsers skip inside a scheme
# (zero-width spaces/joiners, soft hyphen, BOM, bidi marks).
_INVISIBLE = re.compile(
    r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\s]+"
)
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\"'<>\\`]|[^\S ]")


def _revealed_scheme(url: str) -> str | None:
    """The scheme a browser might see after entity/percent decoding and dropping
    invisible characters (``java&#x09;script:``, ``&#106;avascript:``, ``java%0Ascript:``),
    lower-cased; ``None`` when there is none."""
    decoded = url
    for _ in range(3):
        before = decoded
        decoded = _INVISIBLE.sub("", unquote(html.unescape(decoded)))
        if decoded == before:
            break
    if decoded.startswith(("//", "/\\", "\\")):
        return "//"
    match = _SCHEME.match(decoded)
    return match.group(1).lower() if match else None


def safe_url(raw: str, *, schemes: frozenset[str] = LINK_SCHEMES) -> str | None:
    """Return a URL that is safe to put in ``href``/``src``, or ``None`` to drop it.

    Args: ``raw`` as written in the post (not HTML-escaped); ``schemes`` the allowed
    absolute schemes (default http, https, mailto; images use http, https).
    Returns: absolute URLs with an allowed scheme unchanged; ``www.…`` with ``http://``
    prefixed (Discuz!'s ``parseurl`` in ``function_discuzcode.php``); ``#fragment`` and
    root-relative ``/path`` unchanged; other relative URLs made root-relative
    (``forum.php?mod=…`` → ``/forum.php?mod=…``, where Discuz! prefixed ``$_G['siteurl']``)
    so legacy links resolve against the site, not the current page.
    Spaces are percent-encoded. ``None`` for empty or over-long URLs, quotes, angle
    brackets, backslashes, control characters or other white space, protocol-relative ``//host`` URLs, and any scheme outside ``schemes`` —
    also when hidden by entities, percent-encoding or invisible characters.
    Never raises.
    """
    url = raw.strip()
    if not url or len(url) > MAX_URL_LENGTH or _FORBIDDEN.search(url):
        return None
    url = url.replace(" ", "%20")
    if url[:4].lower() == "www.":
        url = "http://" + url
    revealed = _revealed_scheme(url)
    if revealed is not None and revealed not in schemes:
        return None
    match = _SCHEME.match(url)
    if match:
        if match.group(1).lower() not in schemes:
            return None
    elif url.startswith("//"):
        return None
    elif not url.startswith(("/", "#")):
        while url.startswith(("./", "../")):
            url = url[url.index("/") + 1 :]
        url = "/" + url
    return url
