"""The caller's notices (提醒), through :mod:`luntan.notifications.services`:

- ``GET /me/notifications`` — newest first, 50 a page (``?page=``, ``?unread=true``);
- ``POST /me/notifications/read`` — 标为已读: ``{"id": n}`` one notice, ``{"thread_id":
  n}`` a thread's, ``{}`` all; answers how many were marked;
- ``GET`` / ``PUT /me/notification-settings`` — per-kind channel (``site`` / ``email``
  / ``off``), ``digest`` (``immediate`` / ``daily``) and the mail ``language``.

Members only (a token needs ``read`` to read and ``write`` to change). A thread the
caller may no longer read is given by id only (no subject), as on the page.
"""

from __future__ import annotations

from datetime import datetime

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Query, Schema
from pydantic import Field

from luntan.api.auth import MEMBER_AUTH, MemberApiRequest, require_scope
from luntan.api.endpoints.common import ERRORS, MAX_ID, router
from luntan.api.problems import Problem
from luntan.api.ratelimit import WRITE_THROTTLES
from luntan.notifications import services
from luntan.notifications.models import Notification
from luntan.permissions import can_view_thread

TAGS = ["notifications"]
PER_PAGE = 50


class NoticeQuery(Schema):
    page: int = Field(default=1, ge=1, le=100_000)
    unread: bool = False


class NoticeActorOut(Schema):
    id: int | None
    username: str


class NoticeThreadOut(Schema):
    id: int
    subject: str | None = Field(description="null when the caller may no longer read it")


class NoticeOut(Schema):
    id: int
    kind: str = Field(description="reply, quote, mention, follow, rate, moderation, pm")
    actor: NoticeActorOut | None
    thread: NoticeThreadOut | None
    post_id: int | None
    url: str = Field(description="site path of a notice without a thread (a PM conversation)")
    extra: dict = Field(description="rate: credit, score, reason; moderation: action, reason")
    created: datetime
    read: bool


class NoticeListOut(Schema):
    items: list[NoticeOut]
    page: int
    pages: int
    unread_total: int


class MarkReadIn(Schema):
    id: int | None = Field(default=None, ge=1, le=MAX_ID)
    thread_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class MarkedOut(Schema):
    marked: int


class NoticeSettingsIO(Schema):
    channels: dict[str, str] = Field(description="kind → site, email or off")
    digest: str = Field(description="immediate or daily")
    language: str = Field(description="language of the mail: zh-hans or en")


@router.get(
    "/me/notifications",
    tags=TAGS,
    response={200: NoticeListOut, **ERRORS},
    auth=MEMBER_AUTH,
    summary="The caller's notifications",
)
def notices(request: MemberApiRequest, q: Query[NoticeQuery]):
    """The caller's notices, newest first, 50 a page; ``unread=true`` only the unread."""
    require_scope(request, "read")
    rows = Notification.objects.filter(recipient_id=request.user.pk)
    if q.unread:
        rows = rows.filter(read_at__isnull=True)
    rows = rows.select_related("thread__board__parent__parent").order_by("-created", "-pk")
    page = Paginator(rows, PER_PAGE).get_page(q.page)
    items = []
    for n in page.object_list:
        thread = None
        if n.thread is not None:
            visible = can_view_thread(request.viewer, n.thread)
            thread = {"id": n.thread.pk, "subject": n.thread.subject if visible else None}
        items.append(
            {
                "id": n.pk,
                "kind": n.kind,
                "actor": {"id": n.actor_id, "username": n.actor_name}
                if n.actor_name or n.actor_id
                else None,
                "thread": thread,
                "post_id": n.post_id if thread and thread["subject"] is not None else None,
                "url": n.url,
                "extra": n.extra or {},
                "created": n.created,
                "read": n.read_at is not None,
            }
        )
    return {
        "items": items,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "unread_total": services.unread_count(request.user.pk),
    }


@router.post(
    "/me/notifications/read",
    tags=TAGS,
    response={200: MarkedOut, **ERRORS},
    auth=MEMBER_AUTH,
    throttle=WRITE_THROTTLES,
    summary="Mark notifications read",
)
def mark_read(request: MemberApiRequest, data: MarkReadIn):
    """标为已读: ``id`` one notice, ``thread_id`` a thread's, neither all. Another
    member's notice marks nothing (``marked: 0``)."""
    require_scope(request, "write")
    marked = services.mark_read(request.user, notice_id=data.id, thread_id=data.thread_id)
    return {"marked": marked}


def _settings_out(row) -> dict:
    return {
        "channels": {k: row.channel(k) for k in Notification.Kind.values},
        "digest": row.digest,
        "language": row.language,
    }


@router.get(
    "/me/notification-settings",
    tags=TAGS,
    response={200: NoticeSettingsIO, **ERRORS},
    auth=MEMBER_AUTH,
    summary="The caller's notification settings",
)
def notice_settings(request: MemberApiRequest):
    """Every kind's channel, the digest choice and the mail language."""
    require_scope(request, "read")
    return _settings_out(services.get_settings(request.user))


@router.put(
    "/me/notification-settings",
    tags=TAGS,
    response={200: NoticeSettingsIO, **ERRORS},
    auth=MEMBER_AUTH,
    throttle=WRITE_THROTTLES,
    summary="Change the caller's notification settings",
)
def put_notice_settings(request: MemberApiRequest, data: NoticeSettingsIO):
    """Replace the settings (kinds left out of ``channels`` become ``site``). 422
    ``settings`` for an unknown kind, channel, digest or language."""
    require_scope(request, "write")
    try:
        row = services.save_settings(
            request.user, channels=data.channels, digest=data.digest, language=data.language
        )
    except ValueError:
        raise Problem(422, "settings", _("未知的提醒类型、接收方式、邮件方式或语言。")) from None
    return _settings_out(row)
