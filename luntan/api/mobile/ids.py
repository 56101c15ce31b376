"""Ids of the mobile API: Discuz! ids for imported content, fresh ids for new content.

An app that knew the old Discuz! site keeps its thread, post, board and member ids after
the move, so the mobile API shows every imported row under its Discuz! id
(``User.discuz_uid``, ``Board.discuz_fid``, ``Thread.discuz_tid``, ``Post.discuz_pid``).
Rows created here have no Discuz! id; they are shown as ``pk + offset``, where ``offset``
is ``SiteSettings.mobile_id_offset``: 0 on a site that never imported, raised by the
importer (:func:`luntan.core.services.raise_mobile_id_offset`) to a power of ten above
the largest imported id. So

- encoding: ``discuz_id`` when set, else ``pk + offset``;
- decoding ``n``: below ``offset`` it can only be a Discuz! id (looked up by the
  ``discuz_*`` column); from ``offset`` on it can only be ``pk = n - offset`` of a row
  without a Discuz! id. The two ranges never overlap, whatever the pks are.

The one caveat: a second import whose ids reach the offset raises it, which renumbers
(in the mobile API only) what was created here between the two imports; apps holding
those ids then see "not found" for them. Web URLs (``/t/<pk>/``) never change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from luntan.core.models import get_site_settings
from luntan.core.parsing import MAX_ID

#: The ``discuz_*`` column of each kind of row.
COLUMNS = {
    "user": "discuz_uid",
    "board": "discuz_fid",
    "thread": "discuz_tid",
    "post": "discuz_pid",
    "pm": "discuz_plid",
    "pmid": "discuz_pmid",
}


def offset() -> int:
    """``SiteSettings.mobile_id_offset`` (cached with the settings: no query when warm)."""
    return int(get_site_settings().mobile_id_offset)


def encode(kind: str, obj: Any, base: int | None = None) -> int:
    """The mobile id of ``obj`` (a User/Board/Thread/Post, or anything with ``pk`` and the
    ``discuz_*`` attribute of ``kind``). ``base``: the offset when the caller has it."""
    discuz = getattr(obj, COLUMNS[kind], None)
    if discuz is not None:
        return int(discuz)
    return int(obj.pk) + (offset() if base is None else base)


def encode_pk(kind: str, pk: int | None, discuz: int | None, base: int | None = None) -> int:
    """:func:`encode` from the two column values (for ``values()`` rows); 0 for ``pk`` None."""
    if discuz is not None:
        return int(discuz)
    if pk is None:
        return 0
    return int(pk) + (offset() if base is None else base)


def lookup(kind: str, mobile_id: int | None) -> Q | None:
    """The filter selecting the one row of ``kind`` whose mobile id is ``mobile_id``, or
    ``None`` when no row can have it (``None``, below 1, above the id range)."""
    if mobile_id is None or mobile_id < 1 or mobile_id > MAX_ID:
        return None
    base = offset()
    column = COLUMNS[kind]
    if mobile_id < base:
        return Q(**{column: mobile_id})
    pk = mobile_id - base
    if pk < 1:
        return None
    return Q(pk=pk, **{f"{column}__isnull": True})


def decode_pk(model: Any, kind: str, mobile_id: int | None) -> int | None:
    """The pk of the ``model`` row of ``kind`` whose mobile id is ``mobile_id`` (one query),
    or ``None`` when there is none."""
    condition = lookup(kind, mobile_id)
    if condition is None:
        return None
    return model.objects.filter(condition).values_list("pk", flat=True).first()
