"""Template tags of the posting forms: ``{% editor form %}``, ``{% posting_head %}`` and
``{% posting_scripts %}``. Load with ``{% load luntan_posting %}``. No queries."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

#: The smilies picker: a small set of classic faces first (the ones Discuz!'s default
#: smiley set shows: smile, grin, laugh, shy, love, cool, think, sweat, cry, angry,
#: shock, sleepy), then common gestures and objects. Unicode emoji, stored in the post
#: as text, so they render everywhere (including the Archiver and search snippets).
SMILIES = (
    "🙂",
    "😀",
    "😂",
    "😊",
    "😍",
    "😎",
    "🤔",
    "😅",
    "😭",
    "😡",
    "😱",
    "😴",
    "🙄",
    "😏",
    "😘",
    "🤣",
    "👍",
    "👎",
    "👏",
    "🙏",
    "💪",
    "🤝",
    "🎉",
    "🌹",
    "❤️",
    "💔",
    "🔥",
    "☕",
    "🍉",
    "🐶",
)

# htmx settings: no eval (hx-on, js: values), no inline scripts from swapped HTML, no
# injected indicator styles; requests only to this site (the default).
HTMX_CONFIG = (
    '{"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,'
    '"selfRequestsOnly":true,"historyCacheSize":0}'
)


_toolbars: dict[str, SafeString] = {}


def toolbar_html() -> SafeString:
    """The editor toolbar, rendered once per language: it holds no per-request data, and
    rendering its ~40 translated labels and 30 smilies each time would cost the thread
    page about a millisecond."""
    lang = get_language() or ""
    found = _toolbars.get(lang)
    if found is None:
        html = render_to_string("threads/_editor_toolbar.html", {"smilies": SMILIES})
        found = _toolbars[lang] = mark_safe(html)  # noqa: S308 - our own template's output
    return found


@register.inclusion_tag("threads/_editor.html")
def editor(form, rows: int = 10, body_id: str = "id_body") -> dict:
    """The post editor: toolbar (BBCode/Markdown buttons, colour, size, smilies — shown
    by ``editor.js``), the ``body`` textarea with its errors and the format select."""
    return {"form": form, "rows": rows, "body_id": body_id, "toolbar": toolbar_html()}


@register.simple_tag
def posting_head() -> str:
    """The ``<meta name="htmx-config">`` of pages with posting forms."""
    return format_html('<meta name="htmx-config" content="{}">', HTMX_CONFIG)


@register.simple_tag
def posting_scripts() -> str:
    """Script tags of pages with posting forms (htmx and the editor), deferred."""
    return format_html(
        '<script src="{}" defer></script><script src="{}" defer></script>'
        '<script src="{}" defer></script>',
        static("threads/htmx.min.js"),
        static("threads/editor.js"),
        static("core/luntan.js"),
    )
