"""``[password]secret[/password]`` (Discuz! 密码帖): never shown, not even as text.

The tag renders as the empty marker ``<span class="password-lock"></span>`` (so a page
knows the post is locked without loading its source) and its plain text is empty; whether the post's content is
shown at all is decided per viewer by :mod:`luntan.permissions.post_passwords`.
"""

from __future__ import annotations

from luntan.markup.bbcode.nodes import RAW, TagSpec

TAGS = [
    TagSpec(
        "password",
        lambda el, children: '<span class="password-lock"></span>',
        content=lambda arg: RAW,
        block=True,
        plain=lambda el, children, for_quote: "",
    ),
]
