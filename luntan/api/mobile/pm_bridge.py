"""Private messages (站内短消息, :mod:`luntan.pms`) for the mobile API's ``mypm``,
``sendpm`` and ``publicpm`` and the ``notice.newpm`` counter: the pms services, shaped
as Discuz!'s ``api/4/mypm.php`` / ``sendpm.php`` answers (mobile_api.md §2.7)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, QueryDict

from luntan.api.mobile import ids
from luntan.api.mobile.common import human_time, ts, uid_map


def available() -> bool:
    """Private messages exist on this site (the ``pms`` app)."""
    return True


def unread(user: Any) -> int:
    """Conversations ``user`` has unread (:func:`luntan.pms.services.unread_count`, no query)."""
    from luntan.pms.services import unread_count

    return unread_count(user)


def _pair(user: Any, other_pk: int) -> int | None:
    """The one-to-one conversation of ``user`` and member ``other_pk`` (one query)."""
    from luntan.pms.models import Participant

    mine = Participant.objects.filter(user_id=user.pk, conversation__is_group=False).values("conversation_id")  # fmt: skip
    return (
        Participant.objects.filter(conversation_id__in=mine, user_id=other_pk)
        .values_list("conversation_id", flat=True)
        .first()
    )


def conversations(request: HttpRequest, user: Any, page: int, perpage: int) -> dict:
    """``mypm``: ★ ``list[]`` {plid, isnew, ★ subject, pmid, msgfromid, ★ msgfrom, message,
    touid, ★ tousername, ★ vdateline}, ``count``, ``perpage``, ``page``; ``touid`` is the
    other member of a one-to-one conversation (0 for a group one)."""
    from luntan.pms.services import list_conversations, member_names

    qs = list_conversations(user)
    count = qs.count()
    rows = list(qs[(page - 1) * perpage : page * perpage])
    names = member_names([r.conversation_id for r in rows])
    base = ids.offset()
    uids = uid_map(uid for members in names.values() for uid, _n in members)
    items = []
    for r in rows:
        c = r.conversation
        others = [(uid, name) for uid, name in names.get(c.pk, []) if uid != user.pk]
        to_uid, to_name = others[0] if len(others) == 1 else (0, "、".join(n for _u, n in others))
        items.append(
            {
                "plid": ids.encode_pk("pm", c.pk, c.discuz_plid, base),
                "isnew": 1 if r.unread else 0,
                "subject": c.subject or c.last_excerpt,
                "pmid": 0,
                "msgfromid": uids.get(c.author_id or 0, 0),
                "msgfrom": c.last_author_name,
                "message": c.last_excerpt,
                "touid": uids.get(to_uid, 0),
                "tousername": to_name,
                "vdateline": human_time(c.last_message_at),
                "dateline": ts(c.last_message_at),
            }
        )
    return {"list": items, "count": count, "perpage": perpage, "page": page}


def conversation_with(request: HttpRequest, user: Any, other: Any, page: int, perpage: int) -> dict:  # fmt: skip
    """``mypm`` with ``subop=view&touid=N``: the messages of the one-to-one conversation
    with ``other``, oldest first, marked read (:func:`luntan.pms.services.mark_read`)."""
    from luntan.pms.services import conversation_messages, get_conversation, mark_read

    cid = _pair(user, other.pk)
    if cid is None:
        return {"list": [], "count": 0, "perpage": perpage, "page": page}
    _conv, participant = get_conversation(request.viewer, cid)  # type: ignore[attr-defined]
    qs = conversation_messages(participant)
    count = qs.count()
    rows = list(qs[(page - 1) * perpage : page * perpage])
    mark_read(user, cid)
    base = ids.offset()
    me, them = ids.encode("user", user, base), ids.encode("user", other, base)
    items = []
    for m in rows:
        mine = m.author_id == user.pk
        items.append(
            {
                "plid": cid,
                "pmid": ids.encode_pk("pmid", m.pk, m.discuz_pmid, base),
                "msgfromid": me if mine else them,
                "msgfrom": m.author_name,
                "message": m.html,
                "touid": them if mine else me,
                "tousername": other.username if mine else user.username,
                "subject": "",
                "isnew": 0,
                "vdateline": human_time(m.created),
                "dateline": ts(m.created),
            }
        )
    return {"list": items, "count": count, "perpage": perpage, "page": page, "touid": them}


def send(request: HttpRequest, p: QueryDict, recipient: Any, body: str) -> None:
    """``sendpm``: :func:`luntan.pms.services.send_message` from the viewer to
    ``recipient`` (its checks: blacklist, accept setting, daily limit, censor); raises
    what it raises."""
    from luntan.pms.services import send_message

    send_message(request.viewer, body, recipients=[recipient])  # type: ignore[attr-defined]
