"""短消息 pages: the inbox (``/pm/``), a conversation with its reply box (``/pm/<id>/``),
the new message form (``/pm/new/?to=name``), the blacklist and who may write to me
(``/pm/settings/``), 删除 for oneself (``/pm/<id>/delete/``, POST), 举报 a message and the
staff view of a reported message. Members only (guests go to the log-in page); every
write goes through :mod:`luntan.pms.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luntan.accounts.models import User
from luntan.core.parsing import parse_page
from luntan.notifications.services import mark_pm_read
from luntan.permissions import pm_send_refusal
from luntan.permissions.viewer import ViewerRequest
from luntan.pms import services
from luntan.pms.forms import (
    AcceptForm,
    AddMembersForm,
    BlockForm,
    ComposeForm,
    ReplyForm,
    ReportForm,
)

CONVERSATIONS_PER_PAGE = 20
MESSAGES_PER_PAGE = 30


def _member(request: ViewerRequest) -> User:
    """The signed-in member (views here are ``login_required``)."""
    member = request.viewer.member
    assert member is not None
    return member


def _refused(request: ViewerRequest, text: str, status: int = 403) -> HttpResponse:
    return render(request, "threads/forbidden.html", {"reason": text}, status=status)


_ATTACHMENT_CODES = {"attachments", "missing", "foreign", "daily", "upload"}


def _error_field(form, exc: ValidationError) -> str:
    """The field a send error belongs to: the files' for attachment errors."""
    codes = {e.code for e in exc.error_list}
    if codes & _ATTACHMENT_CODES and "attach_files" in form.fields:
        return "attach_files"
    return "body"


def _add_errors(form, exc: ValidationError, field: str) -> None:
    for message in exc.messages:
        form.add_error(field, message)


@login_required
def inbox(request: ViewerRequest) -> HttpResponse:
    """The member's conversations, newest first, :data:`CONVERSATIONS_PER_PAGE` a page,
    each with its other members, the last message's author and excerpt and an unread
    marker, and the member's newest 系统消息 (imported from Discuz!). Queries: the count,
    the page's rows, their members' names and the system messages."""
    page = Paginator(
        services.list_conversations(_member(request)), CONVERSATIONS_PER_PAGE
    ).get_page(parse_page(request.GET.get("page")))
    rows = list(page.object_list)
    names = services.member_names(p.conversation_id for p in rows)
    items = [
        {
            "p": p,
            "c": p.conversation,
            "others": [(uid, n) for uid, n in names.get(p.conversation_id, []) if uid != p.user_id],
        }
        for p in rows
    ]
    notices = services.system_notices(_member(request))
    return render(request, "pms/inbox.html", {"page": page, "items": items, "notices": notices})


@login_required
def conversation(
    request: ViewerRequest, pk: str, add_form: AddMembersForm | None = None
) -> HttpResponse:
    """One conversation: its members, the messages the member sees (the newest
    :data:`MESSAGES_PER_PAGE`, ``?page=`` for older ones) and the reply box (POST
    ``body``, ``fmt`` and files: ``attach_files``, through the attachment service).
    Opening it marks it read. A group's founder sees the 邀请成员 form, every member of a
    group the 退出 button. ``Http404`` for a member not in it."""
    conv, participant = services.get_conversation(request.viewer, int(pk))
    posted = request.method == "POST"
    form = ReplyForm(
        (request.POST or None) if posted else None,
        (request.FILES or None) if posted else None,
        user=_member(request),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.send_message(
                    request.viewer,
                    form.cleaned_data["body"],
                    conversation=conv,
                    fmt=form.cleaned_data["fmt"],
                    **form.attachment_fields(),
                )
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                _add_errors(form, exc, _error_field(form, exc))
            else:
                return HttpResponseRedirect(reverse("pms:conversation", args=[conv.pk]) + "#last")
    if participant.unread:
        services.mark_read(_member(request), conv.pk)
        mark_pm_read(_member(request), reverse("pms:conversation", args=[conv.pk]))
    msgs = services.conversation_messages(participant).order_by("-pk")
    page = Paginator(msgs, MESSAGES_PER_PAGE).get_page(parse_page(request.GET.get("page")))
    shown = list(reversed(page.object_list))
    services.show_attachments(shown)
    names = services.member_names([conv.pk]).get(conv.pk, [])
    return render(
        request,
        "pms/conversation.html",
        {
            "conv": conv,
            "page": page,
            "messages_shown": shown,
            "members": names,
            "form": form,
            "refusal": pm_send_refusal(request.viewer),
            "add_form": add_form or AddMembersForm(),
            "can_add": services.can_add_members(participant),
        },
    )


@login_required
def compose(request: ViewerRequest) -> HttpResponse:
    """发送短消息: GET the form (``?to=name`` fills the recipient), POST ``to``,
    ``subject``, ``body``, ``fmt``. Unknown, blocked or refusing recipients are named
    in the form's errors; a member who may not send sees why."""
    refusal = pm_send_refusal(request.viewer)
    initial = {"to": request.GET.get("to", "")[:400]}
    form = ComposeForm(
        request.POST or None, request.FILES or None, initial=initial, user=_member(request)
    )
    if request.method == "POST" and refusal is None and form.is_valid():
        data = form.cleaned_data
        try:
            recipients = services.find_recipients(services.parse_names(data["to"]))
            result = services.send_message(
                request.viewer,
                data["body"],
                recipients=recipients,
                fmt=data["fmt"],
                subject=data["subject"],
                **form.attachment_fields(),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            codes = {e.code for e in exc.error_list}
            field = "to" if codes & {"recipients", "unknown", "refused", "too_many"} else "body"
            if "subject" in codes:
                field = "subject"
            if codes & _ATTACHMENT_CODES and "attach_files" in form.fields:
                field = "attach_files"
            _add_errors(form, exc, field)
        else:
            messages.success(request, _("短消息已发送。"))
            return HttpResponseRedirect(
                reverse("pms:conversation", args=[result.conversation.pk]) + "#last"
            )
    return render(request, "pms/compose.html", {"form": form, "refusal": refusal})


@require_POST
@login_required
def add_members(request: ViewerRequest, pk: str) -> HttpResponse:
    """邀请成员 (POST ``names``, CSRF): the founder of a group conversation adds members
    (:func:`services.add_members`); errors are shown on the conversation page (a member
    who may not add them gets 403)."""
    conv, participant = services.get_conversation(request.viewer, int(pk))
    if not services.can_add_members(participant):
        return _refused(request, _("只有群聊的发起人可以邀请成员。"))
    form = AddMembersForm(request.POST)
    if form.is_valid():
        try:
            users = services.find_recipients(services.parse_names(form.cleaned_data["names"]))
            added = services.add_members(request.viewer, conv.pk, users)
        except PermissionDenied as exc:
            return _refused(request, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc, "names")
        else:
            messages.success(
                request,
                _("已邀请 %(names)s 加入会话。") % {"names": "、".join(u.username for u in added)},
            )
            return HttpResponseRedirect(reverse("pms:conversation", args=[conv.pk]) + "#last")
    request.method = "GET"  # show the page with the form's errors, not a reply
    return conversation(request, pk, add_form=form)


@require_POST
@login_required
def leave(request: ViewerRequest, pk: str) -> HttpResponse:
    """退出 a group conversation (CSRF-checked POST, :func:`services.leave_conversation`);
    back to the inbox."""
    try:
        services.leave_conversation(_member(request), int(pk))
    except ValidationError as exc:
        return _refused(request, " ".join(exc.messages), status=400)
    messages.success(request, _("您已退出该会话。"))
    return HttpResponseRedirect(reverse("pms:inbox"))


@require_POST
@login_required
def delete(request: ViewerRequest, pk: str) -> HttpResponse:
    """删除 a conversation for the member only (CSRF-checked POST); back to the inbox."""
    services.delete_for_me(_member(request), int(pk))
    messages.success(request, _("会话已删除。"))
    return HttpResponseRedirect(reverse("pms:inbox"))


@login_required
def settings_page(request: ViewerRequest) -> HttpResponse:
    """黑名单 and who may write to me. POST ``action``: ``block`` (``name``),
    ``unblock`` (``id``) or ``accept`` (``accept``)."""
    user = _member(request)
    block_form = BlockForm(request.POST if request.POST.get("action") == "block" else None)
    accept_form = AcceptForm(
        request.POST if request.POST.get("action") == "accept" else None,
        initial={"accept": services.accept_setting(user)},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "block" and block_form.is_valid():
            target = User.objects.filter(username=block_form.cleaned_data["name"].strip()).first()
            if target is None:
                block_form.add_error("name", _("该用户不存在。"))
            else:
                try:
                    services.block(user, target)
                except ValidationError as exc:
                    _add_errors(block_form, exc, "name")
                else:
                    messages.success(request, _("已加入黑名单。"))
                    return HttpResponseRedirect(reverse("pms:settings"))
        elif action == "unblock":
            raw = request.POST.get("id", "")
            if raw.isdigit() and len(raw) <= 18:
                services.unblock(user, int(raw))
            messages.success(request, _("已移出黑名单。"))
            return HttpResponseRedirect(reverse("pms:settings"))
        elif action == "accept" and accept_form.is_valid():
            services.set_accept(user, accept_form.cleaned_data["accept"])
            messages.success(request, _("设置已保存。"))
            return HttpResponseRedirect(reverse("pms:settings"))
    return render(
        request,
        "pms/settings.html",
        {
            "blocks": services.blocked_members(user),
            "block_form": block_form,
            "accept_form": accept_form,
        },
    )


@login_required
def report(request: ViewerRequest, pk: str) -> HttpResponse:
    """举报 a message of a conversation the member is in: GET the form, POST ``reason``;
    the report reaches the moderators' report queue."""
    message = services.reportable_message(request.viewer, int(pk))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_message(request.viewer, message.pk, form.cleaned_data["reason"])
        except PermissionDenied as exc:
            return _refused(request, str(exc))
        except ValidationError as exc:
            _add_errors(form, exc, "reason")
        else:
            messages.success(request, _("举报已提交，感谢您的帮助。"))
            return HttpResponseRedirect(reverse("pms:conversation", args=[message.conversation_id]))
    return render(request, "pms/report.html", {"form": form, "message": message})


@login_required
def reported(request: ViewerRequest, pk: str) -> HttpResponse:
    """A reported message as staff see it from the report queue (``Http404`` for
    anyone else or a message nobody reported)."""
    try:
        message = services.reported_message(request.viewer, int(pk))
    except Http404:
        raise
    return render(request, "pms/reported.html", {"message": message})
