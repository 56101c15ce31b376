"""Private messages (短消息) of the caller, through :mod:`luntan.pms.services`:

- ``GET /pms`` — the inbox (``?page=``, 20 a page);
- ``GET /pms/{id}`` — one conversation with a page of its messages (marks it read);
- ``POST /pms`` — send: ``to`` names (a new or the pair's one-to-one conversation) or
  ``conversation_id`` (a reply), ``attachment_ids`` (uploads of ``POST /attachments``,
  only the conversation's members may fetch them then); 201;
- ``DELETE /pms/{id}`` — delete the conversation for the caller only.

Members only (a token needs ``read`` to read and ``write`` to send or delete). A
conversation the caller is not in is 404. Refusals are problems: 403 ``forbidden`` (may
not send at all: banned, group without the right), 422 with the service's code
(``unknown``, ``refused``, ``too_many``, ``censor``, ``empty`` …), 429 for ``rate`` and
``daily_limit``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from pydantic import Field

from luntan.api.auth import MEMBER_AUTH, MemberApiRequest, require_scope
from luntan.api.endpoints.common import ERRORS, Id, router
from luntan.api.problems import Problem
from luntan.api.ratelimit import WRITE_THROTTLES
from luntan.api.schemas import (
    ConversationDetailOut,
    ConversationListOut,
    PMDeletedOut,
    SendPMIn,
    SentPMOut,
)
from luntan.notifications.services import mark_pm_read
from luntan.pms import services
from luntan.pms.models import Conversation, Participant

TAGS = ["private messages"]
PER_PAGE = 20
MESSAGES_PER_PAGE = 30


class PageQuery(Schema):
    page: int = Field(default=1, ge=1, le=100_000)


def _conversation_out(p: Participant, members: list[tuple[int, str]]) -> dict:
    c = p.conversation
    return {
        "id": c.pk,
        "subject": c.subject,
        "is_group": c.is_group,
        "members": [{"id": uid, "username": name} for uid, name in members],
        "unread": p.unread,
        "message_count": c.message_count,
        "last_message_at": c.last_message_at,
        "last_author": c.last_author_name,
        "last_excerpt": c.last_excerpt,
    }


@router.get(
    "/pms",
    tags=TAGS,
    response={200: ConversationListOut, **ERRORS},
    auth=MEMBER_AUTH,
    summary="The caller's conversations",
)
def conversations(request: MemberApiRequest, q: Query[PageQuery]):
    """The caller's inbox, newest conversation first, 20 a page."""
    require_scope(request, "read")
    page = Paginator(services.list_conversations(request.user), PER_PAGE).get_page(q.page)
    rows = list(page.object_list)
    names = services.member_names(p.conversation_id for p in rows)
    return {
        "items": [_conversation_out(p, names.get(p.conversation_id, [])) for p in rows],
        "page": page.number,
        "pages": page.paginator.num_pages,
        "unread_total": services.unread_count(request.user),
    }


@router.get(
    "/pms/{conversation_id}",
    tags=TAGS,
    response={200: ConversationDetailOut, **ERRORS},
    auth=MEMBER_AUTH,
    summary="One conversation",
)
def conversation(request: MemberApiRequest, conversation_id: Id, q: Query[PageQuery]):
    """A conversation the caller is in, with a page of the messages they see (page 1:
    the newest, oldest first within the page). Reading it marks it read. 404 when the
    caller is not in it."""
    require_scope(request, "read")
    conv, participant = services.get_conversation(request.viewer, conversation_id)
    if participant.unread:
        services.mark_read(request.user, conv.pk)
        mark_pm_read(request.user, reverse("pms:conversation", args=[conv.pk]))
        participant.unread = False
    msgs = services.conversation_messages(participant).order_by("-pk")
    page = Paginator(msgs, MESSAGES_PER_PAGE).get_page(q.page)
    shown = list(reversed(page.object_list))
    services.show_attachments(shown)
    names = services.member_names([conv.pk]).get(conv.pk, [])
    return {
        "conversation": _conversation_out(participant, names),
        "messages": [
            {
                "id": m.pk,
                "author": {"id": m.author_id, "username": m.author_name} if m.author_id else None,
                "created": m.created,
                "html": m.html + getattr(m, "files_html", ""),
                "system": m.system,
            }
            for m in shown
        ],
        "page": page.number,
        "pages": page.paginator.num_pages,
    }


@router.post(
    "/pms",
    tags=TAGS,
    response={201: SentPMOut, **ERRORS},
    auth=MEMBER_AUTH,
    throttle=WRITE_THROTTLES,
    summary="Send a private message",
)
def send(request: MemberApiRequest, data: SendPMIn):
    """Send a message to ``to`` (member names) or into ``conversation_id`` (exactly one
    of them). 201 with the conversation and message ids."""
    require_scope(request, "write")
    if bool(data.to) == (data.conversation_id is not None):
        raise Problem(422, "recipients", _("请填写收件人或会话编号（只填一个）。"))
    try:
        if data.conversation_id is not None:
            conv = Conversation(pk=data.conversation_id)
            result = services.send_message(
                request.viewer,
                data.body,
                conversation=conv,
                fmt=data.format,
                attachment_ids=data.attachment_ids,
            )
        else:
            recipients = services.find_recipients(list(dict.fromkeys(data.to)))
            result = services.send_message(
                request.viewer,
                data.body,
                recipients=recipients,
                fmt=data.format,
                subject=data.subject,
                attachment_ids=data.attachment_ids,
            )
    except ValidationError as exc:
        codes = [e.code for e in exc.error_list]
        if codes and codes[0] in ("rate", "daily_limit"):
            wait = str(services.rate_window_seconds())
            raise Problem(
                429, codes[0], " ".join(exc.messages), headers={"Retry-After": wait}
            ) from None
        raise
    return Status(
        201,
        {
            "conversation_id": result.conversation.pk,
            "message_id": result.message.pk,
            "created": result.created,
        },
    )


@router.delete(
    "/pms/{conversation_id}",
    tags=TAGS,
    response={200: PMDeletedOut, **ERRORS},
    auth=MEMBER_AUTH,
    throttle=WRITE_THROTTLES,
    summary="Delete a conversation for the caller",
)
def delete(request: MemberApiRequest, conversation_id: Id):
    """Delete the conversation for the caller only (the other members keep it); 404
    when the caller is not in it."""
    require_scope(request, "write")
    services.delete_for_me(request.user, conversation_id)
    return {"conversation_id": conversation_id, "deleted": True}
