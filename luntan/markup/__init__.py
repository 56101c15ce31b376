"""Post markup: BBCode (Discuz! X3.4's tag set) and Markdown to sanitised HTML.

Public API::

    RENDERER_VERSION                       # stored with each rendered post
    render(source, fmt="bbcode") -> str    # safe HTML
    render_plain(source, fmt="bbcode") -> str
    check_input(source, fmt, kind) -> None # caps before parsing; raises MarkupLimitError
    render_preview(source, fmt) -> str     # check_input + render, or the refusal
    excerpt(text, width) -> str            # cut on grapheme clusters
    quote_source(author_name, created_local_text, post_url, source, fmt) -> str

See ``docs/markup.md`` for the tag set and the safety rules. This package imports no
Django models.
"""

from luntan.markup.core import (
    FORMATS,
    RENDERER_VERSION,
    check_input,
    render,
    render_plain,
    render_preview,
)
from luntan.markup.limits import MarkupLimitError
from luntan.markup.plaintext import excerpt
from luntan.markup.quoting import quote_excerpt, quote_source

__all__ = [
    "FORMATS",
    "RENDERER_VERSION",
    "MarkupLimitError",
    "check_input",
    "excerpt",
    "quote_excerpt",
    "quote_source",
    "render",
    "render_plain",
    "render_preview",
]
