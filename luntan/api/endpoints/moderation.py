"""Moderation of a thread: ``GET /threads/{id}/moderation`` (the actions the caller may
take) and ``POST /threads/{id}/moderation`` (take one), through the moderation services
(:mod:`luntan.moderation.services`) with the checks of the thread page's 主题管理 bar
(:func:`luntan.permissions.check_moderate_thread`). Taking an action needs a token with
the ``moderate`` scope (or the session); every action is logged by the service."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Schema

from luntan import permissions
from luntan.api.auth import MEMBER_AUTH, ApiRequest, MemberApiRequest, require_scope
from luntan.api.endpoints.common import ERRORS, Id, router
from luntan.api.problems import Problem
from luntan.api.ratelimit import WRITE_THROTTLES
from luntan.api.schemas import InputSchema
from luntan.boards.models import Board
from luntan.moderation import services
from luntan.threads.models import Thread

TAGS = ["moderation"]

#: Actions on a thread in state NORMAL, and on one in the recycle bin.
NORMAL_ACTIONS = ["close", "open", "stick", "digest", "move", "recycle"]
RECYCLED_ACTIONS = ["restore"]
#: The moderation right each action needs (:mod:`luntan.permissions.modrights`).
_RIGHTS = {
    "close": "close_thread",
    "open": "close_thread",
    "stick": "stick_thread",
    "digest": "digest_thread",
    "move": "move_thread",
    "recycle": "delete_post",
    "restore": "delete_post",
}


class ActionsOut(Schema):
    """What the caller may do to the thread (empty when they do not moderate it)."""

    thread_id: int
    actions: list[str]


class ActionIn(InputSchema):
    """One action: ``close``/``open``; ``stick``/``digest`` with ``level`` 0–3; ``move``
    with ``to_board``; ``recycle`` (删除主题) / ``restore`` (还原); ``reason`` is logged."""

    action: Literal["close", "open", "stick", "digest", "move", "recycle", "restore"]
    level: int | None = Field(default=None, ge=0, le=3)
    to_board: int | None = Field(default=None, ge=1, le=2**63 - 1)
    reason: str = Field(default="", max_length=200)


class ActionOut(Schema):
    thread_id: int
    action: str
    state: Literal["normal", "recycled", "pending"]
    board_id: int
    closed: bool
    sticky: int
    digest: int


def _thread(request: ApiRequest, pk: int) -> Thread:
    thread = Thread.objects.select_related("board__parent__parent", "type").filter(pk=pk).first()
    if thread is None:
        raise Http404
    permissions.check_view_board(request.viewer, thread.board)
    return thread


def _allowed(request: ApiRequest, thread: Thread) -> list[str]:
    if not request.user.is_authenticated:
        return []
    try:
        permissions.check_moderate_thread(request.viewer, thread)
    except PermissionDenied:
        return []
    if thread.state == Thread.State.NORMAL:
        actions = NORMAL_ACTIONS
    elif thread.state == Thread.State.RECYCLED:
        actions = RECYCLED_ACTIONS
    else:
        return []
    if permissions.must_set_up_mfa(request.viewer):  # 管理人员必须启用两步验证
        return []
    # Only the actions the caller's group has the right for (Discuz! common_admingroup).
    return [a for a in actions if permissions.has_moderation_right(request.viewer, _RIGHTS[a])]


@router.get(
    "/threads/{thread_id}/moderation",
    tags=TAGS,
    response={200: ActionsOut, **ERRORS},
    summary="Moderation actions the caller may take",
)
def moderation_actions(request: ApiRequest, thread_id: Id):
    """The actions the caller may take on the thread (moderators of its board,
    administrators and super moderators); an empty list for everyone else. A recycled
    thread is seen by its moderators only (404 otherwise)."""
    thread = _thread(request, thread_id)
    actions = _allowed(request, thread)
    if thread.state != Thread.State.NORMAL and not actions:
        raise Http404
    return {"thread_id": thread.pk, "actions": actions}


def _mfa_required() -> str:
    """The refusal for staff without a second factor (translated when raised)."""
    return _("本站要求管理人员启用两步验证。请先在网页上设置验证器应用或通行密钥。")


_STATES: dict[int, str] = {
    int(Thread.State.NORMAL): "normal",
    int(Thread.State.RECYCLED): "recycled",
    int(Thread.State.PENDING): "pending",
}


@router.post(
    "/threads/{thread_id}/moderation",
    tags=TAGS,
    response={200: ActionOut, **ERRORS},
    auth=MEMBER_AUTH,
    throttle=WRITE_THROTTLES,
    summary="Take a moderation action",
)
def moderate(request: MemberApiRequest, thread_id: Id, data: ActionIn):
    """Take ``action`` on the thread (see :class:`ActionIn`). 403 ``forbidden`` unless the
    caller moderates the thread's board; 422 for an action that changes nothing or a
    missing ``level``/``to_board``."""
    require_scope(request, "moderate")
    thread = _thread(request, thread_id)
    if permissions.must_set_up_mfa(request.viewer):
        raise Problem(403, "mfa_required", _mfa_required())
    allowed = _allowed(request, thread)
    if not allowed:
        if thread.state != Thread.State.NORMAL:
            raise Http404
        raise Problem(403, "forbidden", _("您没有权限管理该主题。"))
    if data.action not in allowed:
        raise Problem(422, "action", _("该主题现在不能进行这个操作。"))
    actor, reason, ip = request.user, data.reason, request.META.get("REMOTE_ADDR")
    if data.action in ("close", "open"):
        services.close_thread(
            thread, closed=data.action == "close", actor=actor, reason=reason, ip=ip
        )
    elif data.action in ("stick", "digest"):
        if data.level is None:
            raise Problem(422, "level", _("请选择级别（0 到 3）。"))
        act = services.stick_thread if data.action == "stick" else services.digest_thread
        act(thread, level=data.level, actor=actor, reason=reason, ip=ip)
    elif data.action == "move":
        target = (
            Board.objects.select_related("parent__parent").filter(pk=data.to_board).first()
            if data.to_board
            else None
        )
        if target is None:
            raise Problem(422, "to_board", _("请选择目标版块。"))
        permissions.check_move_thread(request.viewer, thread, target)
        services.move_thread(thread, to_board=target, actor=actor, reason=reason, ip=ip)
    elif data.action == "recycle":
        services.recycle_thread(thread, actor=actor, reason=reason, ip=ip)
    else:
        services.restore_thread(thread, actor=actor, reason=reason, ip=ip)
    fresh = Thread.objects.get(pk=thread.pk)
    return {
        "thread_id": fresh.pk,
        "action": data.action,
        "state": _STATES.get(int(fresh.state), "normal"),
        "board_id": fresh.board_id,
        "closed": fresh.closed,
        "sticky": fresh.sticky,
        "digest": fresh.digest,
    }
