"""Helpers the endpoint modules share: path ids, error responses, floor and thread rows."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Path, Router

from luntan.api.schemas import ProblemOut
from luntan.core.parsing import MAX_ID

#: The one router of every endpoint module: operations on one path (``GET`` and
#: ``PATCH /posts/{id}``) must live on one router to share the path's URL pattern.
router = Router()

#: A database id in a path: 1 … 2**63-1 (larger numbers are a 422 problem, not an overflow).
Id = Annotated[int, Path(ge=1, le=MAX_ID)]

#: The error answers every operation documents (all are problem details).
ERRORS: dict[Any, Any] = {frozenset({400, 401, 403, 404, 405, 422, 429}): ProblemOut}


def member_ref(user_id: int | None, username: str, anonymous: bool = False) -> dict | None:
    """``{"id", "username"}`` of an author, or ``None`` (anonymous, deleted member)."""
    if anonymous or not user_id:
        return None
    return {"id": user_id, "username": username}


def thread_summary(t: Any) -> dict:
    """A :class:`~luntan.api.schemas.ThreadSummary` of thread ``t`` (``type`` loaded)."""
    anonymous = t.is_anonymous
    return {
        "id": t.pk,
        "board_id": t.board_id,
        "subject": t.subject,
        "type": {"id": t.type.pk, "name": t.type.name} if t.type_id and t.type else None,
        "author": member_ref(t.author_id, t.author_name, anonymous),
        "author_name": _("匿名") if anonymous else t.author_name,
        "created": t.created,
        "last_post_at": t.last_post_at,
        "last_poster_name": getattr(t, "last_poster_name", "") or "",
        "views": t.views,
        "replies": t.replies,
        "sticky": t.sticky,
        "digest": t.digest,
        "closed": t.closed,
        "read_level": t.read_level,
    }


def floor_out(f: Any, rights: Any) -> dict:
    """A :class:`~luntan.api.schemas.FloorOut` of a built and decorated
    :class:`luntan.threads.page.Floor`; ``rights`` the viewer's ``PostingRights`` (or
    ``None`` for a guest)."""
    p = f.post
    shown = not f.deleted and not f.body_hidden
    group = f.group
    return {
        "id": f.pk,
        "floor": f.number,
        "label": str(f.label),
        "is_op": f.is_op,
        "author": member_ref(p.author_id, p.author_name, f.anonymous),
        "author_name": _("匿名") if f.anonymous else p.author_name,
        "group": {"id": group.pk, "name": group.name} if group is not None else None,
        "created": p.created,
        "edited_at": p.edited_at,
        "edited_by_name": p.edited_by_name,
        "origin": f.origin,
        "deleted": f.deleted,
        "hidden": f.body_hidden,
        "html": str(f.html) if shown else None,
        "notices": [str(n) for n in f.notices],
        "can_edit": bool(rights is not None and not f.deleted and rights.can_edit(p)),
        "can_delete": bool(rights is not None and not f.deleted and rights.can_delete(p)),
    }
