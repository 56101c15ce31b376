"""Signatures (签名) under the posts of a thread page: a floor extra registered in
:meth:`luntan.members.apps.MembersConfig.ready`.

No query: the page's posts query carries the author's stored signature HTML as the
annotation ``author_sig_html`` — empty for a member of a banned group (禁止发言, 禁止访问,
禁止 IP) or of a group whose ``max_sig_size`` is 0 (Discuz!: that group has no
signature) — and the extra appends it to the floor's ``below`` slot in a
``<div class="sign">``. Anonymous and deleted floors show none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Case, F, TextField, Value, When
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from luntan.accounts.groups import BANNED_GROUPS
from luntan.threads.extras import FloorExtra
from luntan.threads.page import Floor, ThreadPage


class SignatureExtra(FloorExtra):
    """The author's signature under each visible post."""

    name = "signatures"
    order = 90  # after the attachments box, inside the post

    def annotations(self) -> dict[str, Any]:
        """``author_sig_html``: the signature to show, decided in SQL (see the module)."""
        return {
            "author_sig_html": Case(
                When(author__group_id__in=sorted(BANNED_GROUPS), then=Value("")),
                When(author__group__max_sig_size=0, then=Value("")),
                default=F("author__signature_html"),
                output_field=TextField(),
            )
        }

    def decorate(self, page: ThreadPage, floors: Sequence[Floor]) -> None:
        """Append each shown signature to its floor's ``below`` slot (no query)."""
        for f in floors:
            html = getattr(f.post, "author_sig_html", "") or ""
            if not html or f.deleted or f.anonymous or f.author is None:
                continue
            # Stored signature HTML is sanitised when it is set or imported.
            f.below.append(format_html('<div class="sign">{}</div>', mark_safe(html)))  # noqa: S308
