"""All BBCode tags luntan understands, by lower-case name."""

from __future__ import annotations

from luntan.markup.bbcode import tags_blocks, tags_links, tags_password, tags_tables, tags_text
from luntan.markup.bbcode.nodes import TagSpec

TAGS: dict[str, TagSpec] = {
    spec.name: spec
    for module in (tags_text, tags_links, tags_blocks, tags_tables, tags_password)
    for spec in module.TAGS
}
