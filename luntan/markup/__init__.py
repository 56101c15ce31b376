"""Post markup: BBCode (Discuz! X3.4's tag set) and Markdown to sanitised HTML.

Public API::

    RENDERER_VERSION                       # stored with each rendered post
    render(source, fmt="bbcode") -> str    # safe HTML
    render_plain(source, fmt="bbcode") -> str
    quote_source(author_name, created_local_text, post_url, source, fmt) -> str

See ``docs/markup.md`` for the tag set and the safety rules. This package imports no
Django models.
"""

from luntan.markup.core import FORMATS, RENDERER_VERSION, render, render_plain
from luntan.markup.quoting import quote_excerpt, quote_source

__all__ = [
    "FORMATS",
    "RENDERER_VERSION",
    "quote_excerpt",
    "quote_source",
    "render",
    "render_plain",
]
