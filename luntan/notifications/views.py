"""提醒 pages: the member's notices grouped by thread (``/notifications/``), 标为已读
(``/notifications/read/``, POST: one notice, one group or all), the preferences
(``/notifications/settings/``) and the one-click unsubscribe link of the mails
(``/notifications/unsubscribe/<token>/``, no log-in needed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luntan.notifications import mail, services
from luntan.notifications.models import Channel, Digest, Notification
from luntan.permissions import can_view_thread
from luntan.permissions.viewer import ViewerRequest

PER_PAGE = 50

#: Labels of the moderation actions on the page ("版主 X 关闭了您的主题").
MODERATION_LABELS = {
    "move": gettext_lazy("移动了您的主题"),
    "close": gettext_lazy("关闭了您的主题"),
    "recycle": gettext_lazy("删除了您的主题"),
    "delete_post": gettext_lazy("删除了您的帖子"),
    "ban_post": gettext_lazy("屏蔽了您的帖子"),
    "warn": gettext_lazy("警告了您"),
}


@dataclass
class Summary:
    """One line of a group: the newest actor of one kind, how many different actors,
    and the label ("张三 等 3 人 回复了您的主题")."""

    actor_name: str
    actor_id: int | None
    others: int
    label: str


@dataclass
class Group:
    """The notices of one page about one thread (or one PM conversation, or a notice
    alone), newest first; ``unread`` counts the unread ones; ``visible`` is False when
    the member may no longer read the thread (deleted, moved out of reach: the page then
    shows neither subject nor links); ``summaries`` one line per kind."""

    key: str
    thread: object = None
    url: str = ""
    visible: bool = True
    notices: list = field(default_factory=list)
    unread: int = 0
    summaries: list[Summary] = field(default_factory=list)


def label(notice: Notification) -> str:
    """What ``notice``'s actor did, in the active language."""
    if notice.kind == Notification.Kind.MODERATION:
        action = (notice.extra or {}).get("action", "")
        return str(MODERATION_LABELS.get(action, notice.get_kind_display()))
    return str(notice.get_kind_display())


def _summaries(notices: list[Notification]) -> list[Summary]:
    by_kind: dict[str, list[Notification]] = {}
    for n in notices:  # newest first
        by_kind.setdefault(n.kind, []).append(n)
    out = []
    for rows in by_kind.values():
        actors = {n.actor_id or n.actor_name for n in rows}
        out.append(Summary(rows[0].actor_name, rows[0].actor_id, len(actors) - 1, label(rows[0])))
    return out


def _group(viewer, rows) -> list[Group]:
    groups: dict[str, Group] = {}
    for row in rows:
        key = row.group_key()
        if key not in groups:
            visible = row.thread is None or can_view_thread(viewer, row.thread)
            groups[key] = Group(key, row.thread, row.url, visible)
        group = groups[key]
        row.label = label(row)
        group.notices.append(row)
        group.unread += row.read_at is None
    for group in groups.values():
        group.summaries = _summaries(group.notices)
    return list(groups.values())


@require_GET
@login_required
def notices(request: ViewerRequest) -> HttpResponse:
    """The member's notices, newest first, :data:`PER_PAGE` a page (``?page=N``; a bad
    number gives the nearest page), grouped by thread (or PM conversation) in the order
    of each group's newest notice on the page, each group summarised per kind ("张三 等
    3 人回复了您的主题"). Guests go to the log-in page. Three queries besides the member:
    count, the page's notices with their threads and boards, and the bell's count
    (cached). Threads the member can no longer read are listed without subject."""
    rows = (
        Notification.objects.filter(recipient_id=request.user.pk)
        .select_related("thread__board__parent__parent")
        .order_by("-created", "-pk")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "groups": _group(request.viewer, page.object_list)},
    )


def _bad_request(request: HttpRequest) -> HttpResponse:
    return render(request, "threads/forbidden.html", {"reason": _("参数错误。")}, status=400)


def _id(raw: str) -> int | None | bool:
    """``None`` for empty, an int for a valid id, False for garbage."""
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        return False
    return int(raw)


@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    """标为已读 (CSRF-checked): POST ``notice`` (one notice), ``thread`` (a thread's
    notices) or ``url`` (a PM conversation's), none of them for all (``kind=pm``: only the
    private message notices); then 302 back to the
    list (``page`` kept) with a message. A malformed id is 400."""
    notice_id, thread_id = _id(request.POST.get("notice", "")), _id(request.POST.get("thread", ""))
    url = request.POST.get("url") or None
    kind = Notification.Kind.PM if request.POST.get("kind") == "pm" else None
    if notice_id is False or thread_id is False or (url is not None and len(url) > 200):
        return _bad_request(request)
    services.mark_read(
        request.user,  # type: ignore[arg-type]
        notice_id=notice_id or None,
        thread_id=thread_id or None,
        url=url,
        kind=kind,
    )
    messages.success(request, _("已标为已读。"))
    target = reverse("notifications:list")
    page = _id(request.POST.get("page", ""))
    if page and page > 1:
        target += f"?page={page}"
    return HttpResponseRedirect(target)


class PreferencesForm(forms.Form):
    """Per-kind channel, digest and mail language (fields ``kind_<kind>``)."""

    digest = forms.ChoiceField(label=gettext_lazy("邮件方式"), choices=Digest.choices)
    language = forms.ChoiceField(label=gettext_lazy("邮件语言"), choices=())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)  # noqa: S101 (narrows the type)
        language.choices = [(code, gettext_lazy(name)) for code, name in settings.LANGUAGES]
        for kind, name in Notification.Kind.choices:
            self.fields[f"kind_{kind}"] = forms.ChoiceField(
                label=name, choices=Channel.choices, widget=forms.RadioSelect
            )

    def kind_fields(self):
        """The bound per-kind fields, in kind order."""
        return [self[f"kind_{kind}"] for kind in Notification.Kind.values]

    def channels(self) -> dict[str, str]:
        """``{kind: channel}`` from the cleaned data."""
        return {k: self.cleaned_data[f"kind_{k}"] for k in Notification.Kind.values}


def _preferences_form(request: HttpRequest, posted: bool) -> tuple[PreferencesForm, bool]:
    """The member's :class:`PreferencesForm`, bound when ``posted``; saved through
    :func:`services.save_settings` when valid. Returns ``(form, saved)``."""
    current = services.get_settings(request.user)  # type: ignore[arg-type]
    initial = {f"kind_{k}": current.channel(k) for k in Notification.Kind.values}
    initial.update(
        digest=current.digest,
        language=current.language if current.pk else request.LANGUAGE_CODE,  # type: ignore[attr-defined]
    )
    form = PreferencesForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        services.save_settings(
            request.user,  # type: ignore[arg-type]
            channels=form.channels(),
            digest=form.cleaned_data["digest"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("提醒设置已保存。"))
        return form, True
    return form, False


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """提醒设置: per kind site / e-mail / off, immediate mail or a daily digest, and the
    mail's language (POST, CSRF) through :func:`services.save_settings`. The same form
    is a section of the 设置 page (:func:`settings_section`)."""
    form, saved = _preferences_form(request, request.method == "POST")
    if saved:
        return HttpResponseRedirect(reverse("notifications:settings"))
    response = render(
        request,
        "notifications/settings.html",
        {"form": form, "has_email": bool(request.user.email)},  # type: ignore[union-attr]
    )
    response["Cache-Control"] = "no-store"
    return response


def settings_section(request: HttpRequest, posted: bool) -> str | None:
    """提醒设置 as a section of the 设置 page
    (:class:`luntan.accounts.settings_sections.SettingsSection`, anchor
    ``notifications``): the form's HTML, or ``None`` once a POST for it was saved."""
    form, saved = _preferences_form(request, posted)
    if saved:
        return None
    return render_to_string(
        "notifications/_prefs_form.html",
        {
            "form": form,
            "has_email": bool(request.user.email),  # type: ignore[union-attr]
            "action": reverse("accounts:settings") + "#notifications",
            "section": "notifications",
        },
        request=request,
    )


@csrf_exempt  # a mail client's one-click POST (RFC 8058) has no cookie: the signed token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """退订: GET shows what the link stops and a button (a GET never changes anything:
    mail scanners follow links); POST (the button, or the mail client's RFC 8058
    ``List-Unsubscribe=One-Click``) stops the e-mail of that kind (or all) through
    :func:`services.unsubscribe`. Works logged out. A token not signed by the site is
    400 with a page saying so."""
    try:
        user_id, kind = mail.read_unsubscribe_token(token)
    except (signing.BadSignature, ValueError):
        return render(
            request,
            "notifications/unsubscribe.html",
            {"error": _("退订链接无效或已被修改。请登录后在提醒设置中修改。")},
            status=400,
        )
    valid = kind == services.ALL_KINDS or kind in Notification.Kind.values
    if not valid:
        return render(
            request,
            "notifications/unsubscribe.html",
            {"error": _("退订链接无效或已被修改。请登录后在提醒设置中修改。")},
            status=400,
        )
    kind_label = _("全部提醒") if kind == services.ALL_KINDS else Notification.Kind(kind).label
    done = False
    if request.method == "POST":
        services.unsubscribe(user_id, kind)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind_label": kind_label, "done": done, "token": token},
    )
