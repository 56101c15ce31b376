"""All BBCode tags luntan understands, by lower-case name."""

from __future__ import annotations

from luntan.markup.bbcode import tags_blocks, tags_links, tags_password, tags_tables, tags_text
from luntan.markup.bbcode.nodes import TagSpec

TAGS: dict[str, TagSpec] = {
    spec.name: spec
    for module in (tags_text, tags_links, tags_blocks, tags_tables, tags_password)
    for spec in module.TAGS
}

_merged: tuple[int, dict[str, TagSpec]] = (id(None), TAGS)


def all_tags() -> dict[str, TagSpec]:
    """:data:`TAGS` plus the site's custom tags (:mod:`luntan.markup.bbcode.custom`);
    a built-in tag wins over a custom one of the same name."""
    global _merged
    from luntan.markup.bbcode.custom import current_specs

    specs = current_specs()
    if not specs:
        return TAGS
    if _merged[0] != id(specs):
        _merged = (id(specs), {**specs, **TAGS})
    return _merged[1]
