"""Lay out the Django templates one block element per line, without changing a page.

Usage: ``python tools/format_templates.py [--check] [paths…]`` (default: every ``*.html``
under ``luntan/*/templates``). ``--check`` changes nothing and exits 1 when a file would
change (``make lint`` runs it), printing the files.

General HTML formatters (djLint, Prettier) insert whitespace between inline elements,
which shows: a space between two Chinese words, a gap between inline-block buttons. This
one only breaks a line where whitespace cannot show (CSS 2.2 §16.6.1: white space at the
start and end of a line box is removed, and white space between block boxes makes no line
box): between two block-level tags, looking through template tags such as ``{% if %}``
that print nothing themselves. A tag counts as block-level by its name, unless one of its
classes is made inline by a stylesheet of the project (read from ``luntan/**/*.css``).
Nothing inside ``<pre>``, ``<textarea>``, ``<script>``, ``<style>``, an HTML tag's
attributes, ``{% blocktranslate %}`` (the msgid would change), ``{% comment %}`` or
``{% verbatim %}`` is touched. Lines are indented two spaces per open block element.
The result of a second run is the same file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BLOCK_TAGS = frozenset(
    "html head body meta link title main header footer nav section article aside div "
    "table thead tbody tfoot tr td th caption colgroup col ul ol li dl dt dd fieldset "
    "h1 h2 h3 h4 h5 h6 p form hr noscript".split()
)
VOID_TAGS = frozenset("meta link col hr br img input".split())
#: Elements whose content is left exactly as written.
RAW_TAGS = frozenset("pre textarea script style".split())
#: Template tags whose content is left exactly as written (their end tag closes them).
RAW_TEMPLATE_TAGS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}

_INLINE_RULE = re.compile(r"([^{}]+)\{[^}]*display\s*:\s*inline[^;}]*", re.S)
_COMPOUND = re.compile(r"^([A-Za-z][A-Za-z0-9]*)?((?:[.#:\[][^.#:\[]*)*)$")
_CLASS = re.compile(r"\.([A-Za-z0-9_-]+)")


def inline_selectors(root: Path = ROOT) -> tuple[frozenset[str], frozenset[str]]:
    """``(classes, tags)`` that a project stylesheet displays inline, inline-block or
    inline-flex: the classes and tag names of each such rule's last compound selector
    (``.fl h3`` gives the tag ``h3``, ``.logout`` the class ``logout``). A tag carrying
    one of the classes, or any tag of those names, is not treated as a block."""
    classes: set[str] = set()
    tags: set[str] = set()
    for css in (root / "luntan").rglob("*.css"):
        text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.S)
        for selectors in _INLINE_RULE.findall(text):
            for selector in selectors.split(","):
                parts = re.split(r"[\s>+~]+", selector.strip().split("@")[-1].strip())
                last = parts[-1] if parts else ""
                m = _COMPOUND.match(last)
                if not m:
                    continue
                if m.group(1):
                    tags.add(m.group(1).lower())
                classes.update(_CLASS.findall(m.group(2) or ""))
    return frozenset(classes), frozenset(tags)


def tokenize(text: str) -> list[str]:
    """Split a template into tokens: template tags (``{% %}``, ``{{ }}``, ``{# #}``), HTML
    tags (with any template tags inside their attributes), and text between them."""
    tokens: list[str] = []
    i, n, start = 0, len(text), 0
    while i < n:
        two = text[i : i + 2]
        if two in ("{%", "{{", "{#"):
            end = text.find({"{%": "%}", "{{": "}}", "{#": "#}"}[two], i + 2)
            if end < 0:
                break
            if start < i:
                tokens.append(text[start:i])
            tokens.append(text[i : end + 2])
            i = start = end + 2
        elif text[i] == "<" and re.match(r"</?[A-Za-z!]", text[i : i + 3]):
            if text.startswith("<!--", i):
                j = text.find("-->", i)
                j = n if j < 0 else j + 3
            else:
                j, quote = i + 1, ""
                while j < n:
                    c = text[j]
                    if text.startswith(("{%", "{{", "{#"), j):
                        close = {"{%": "%}", "{{": "}}", "{#": "#}"}[text[j : j + 2]]
                        k = text.find(close, j + 2)
                        j = n if k < 0 else k + 2
                        continue
                    if quote:
                        quote = "" if c == quote else quote
                    elif c in "\"'":
                        quote = c
                    elif c == ">":
                        j += 1
                        break
                    j += 1
            if start < i:
                tokens.append(text[start:i])
            tokens.append(text[i:j])
            i = start = j
        else:
            i += 1
    if start < n:
        tokens.append(text[start:])
    return tokens


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_CLASS_ATTR = re.compile(r"""\sclass\s*=\s*(["'])(.*?)\1""", re.S)
_TEMPLATE_NAME = re.compile(r"\{%-?\s*(\w+)")
#: Template tags that print nothing: looked through when deciding a break.
_SILENT = frozenset(
    "if elif else endif for empty endfor with endwith block endblock load extends "
    "spaceless endspaceless ifchanged endifchanged csrf_token_never".split()
)


def _html_tag(token: str) -> tuple[bool, str] | None:
    m = _TAG.match(token)
    return (m.group(1) == "/", m.group(2).lower()) if m else None


def format_template(text: str, inline: tuple[frozenset[str], frozenset[str]]) -> str:
    """Return ``text`` with breaks between block-level tags (see the module docstring)."""
    tokens = tokenize(text)
    inline_classes, inline_tags = inline

    def kind(tok: str) -> str:
        """'block', 'silent' (template tag printing nothing, or white space), 'other'."""
        if not tok.strip():
            return "silent"
        if tok.startswith("{%"):
            m = _TEMPLATE_NAME.match(tok)
            return "silent" if m and m.group(1) in _SILENT else "other"
        if tok.startswith("{#"):
            return "silent"
        tag = _html_tag(tok)
        if tag is None or tag[1] not in BLOCK_TAGS or tag[1] in inline_tags:
            return "other"
        if not tag[0]:
            cls = _CLASS_ATTR.search(tok)
            if cls and set(cls.group(2).split()) & inline_classes:
                return "other"
        return "block"

    kinds = [kind(t) for t in tokens]
    # Closing tags of elements opened with an inline class are inline too: match them.
    stack: list[tuple[str, bool]] = []
    for idx, tok in enumerate(tokens):
        tag = _html_tag(tok)
        if tag is None or tag[1] not in BLOCK_TAGS or tag[1] in VOID_TAGS:
            continue
        closing, name = tag
        if not closing:
            stack.append((name, kinds[idx] == "block"))
        else:
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == name:
                    if not stack[k][1]:
                        kinds[idx] = "other"
                    del stack[k:]
                    break

    # Regions left as written.
    frozen = [False] * len(tokens)
    raw_until: str | None = None
    for idx, tok in enumerate(tokens):
        if raw_until is not None:
            frozen[idx] = True
            if (raw_until.startswith("</") and tok.lower().startswith(raw_until)) or (
                not raw_until.startswith("</")
                and _TEMPLATE_NAME.match(tok or "")
                and _TEMPLATE_NAME.match(tok).group(1) == raw_until
            ):
                raw_until = None
            continue
        tag = _html_tag(tok)
        if tag and not tag[0] and tag[1] in RAW_TAGS and not tok.endswith("/>"):
            raw_until = f"</{tag[1]}"
            continue
        if tok.startswith("{%"):
            m = _TEMPLATE_NAME.match(tok)
            if m and m.group(1) in RAW_TEMPLATE_TAGS:
                raw_until = RAW_TEMPLATE_TAGS[m.group(1)]

    def neighbour(idx: int, step: int) -> str | None:
        j = idx
        while 0 <= j < len(tokens):
            if kinds[j] != "silent":
                return kinds[j]
            j += step
        return None

    out: list[str] = []
    depth = 0
    pending: list[str] = []  # white space since the last token written
    last = -1  # index of the last non-white-space token written
    for idx, tok in enumerate(tokens):
        if not frozen[idx] and not tok.strip():
            pending.append(tok)
            continue
        if (
            last >= 0
            and not frozen[idx]
            and not frozen[last]
            and neighbour(last, -1) == "block"
            and neighbour(idx, 1) == "block"
        ):
            tag = _html_tag(tok)
            closing = kinds[idx] == "block" and tag is not None and tag[0]
            out.append("\n" + "  " * max(depth - (1 if closing else 0), 0))
        else:
            out.extend(pending)
        pending = []
        last = idx
        out.append(tok)
        if frozen[idx] or kinds[idx] != "block":
            continue
        tag = _html_tag(tok)
        if tag is None or tag[1] in VOID_TAGS or tok.endswith("/>"):
            continue
        depth = max(depth - 1, 0) if tag[0] else depth + 1
    out.extend(pending)
    result = "".join(out)
    # Strip trailing spaces our indentation may leave at a line end.
    result = re.sub(r"[ \t]+\n", "\n", result)
    return result if result.endswith("\n") or not text.endswith("\n") else result + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")]
    if not paths:
        paths = sorted((ROOT / "luntan").glob("*/templates/**/*.html"))
        paths += sorted((ROOT / "luntan").glob("*/*/templates/**/*.html"))
    inline = inline_selectors()
    changed = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        new = format_template(text, inline)
        if new != text:
            changed.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    for path in changed:
        print(f"{'would reformat' if check else 'reformatted'} {path.relative_to(ROOT)}")
    if check and changed:
        print("Run: python tools/format_templates.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
