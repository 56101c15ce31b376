"""内容 page of the 管理中心: censor words (with import/export), IP bans, batch delete."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from luntan.accounts.models import User
from luntan.admincenter import content as services
from luntan.admincenter.access import admin_page
from luntan.bans.models import IPBan
from luntan.censor.models import CensorWord
from luntan.core.parsing import parse_id
from luntan.permissions.viewer import ViewerRequest


class CensorWordForm(forms.Form):
    """添加词语."""

    find = forms.CharField(label=gettext_lazy("不良词语"), max_length=255)
    action = forms.ChoiceField(
        label=gettext_lazy("处理方式"),
        choices=CensorWord.Action.choices,
        initial=CensorWord.Action.REPLACE,
    )
    replacement = forms.CharField(
        label=gettext_lazy("替换为"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("留空时替换为 ***。"),
    )


class CensorImportForm(forms.Form):
    """导入: one ``word=replacement`` a line."""

    text = forms.CharField(
        label=gettext_lazy("词语列表"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "每行一个，格式同 Discuz!：词语=替换内容；词语={BANNED} 禁止发表；词语={MOD} 需要审核；"
            "只写词语时替换为 ***。已有的词语会被覆盖。"
        ),
    )


class IPBanForm(forms.Form):
    """禁止 IP."""

    pattern = forms.CharField(
        label=gettext_lazy("IP 地址"),
        max_length=64,
        help_text=gettext_lazy("如 1.2.3.4、1.2.3.* 或 2001:db8::/32"),
    )
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=200, required=False)
    days = forms.IntegerField(
        label=gettext_lazy("有效天数"),
        min_value=0,
        max_value=3650,
        initial=0,
        help_text=gettext_lazy("0 表示永久"),
    )


class BatchDeleteForm(forms.Form):
    """批量删帖: a member or an IP, a time range (viewer's time zone)."""

    username = forms.CharField(label=gettext_lazy("用户名"), max_length=15, required=False)
    ip = forms.CharField(
        label=gettext_lazy("IP 地址"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("完整地址，或前缀如 192.168."),
    )
    since = forms.DateTimeField(
        label=gettext_lazy("开始时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    until = forms.DateTimeField(
        label=gettext_lazy("结束时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=200, required=False)

    def criteria(self) -> services.BatchCriteria:
        """The criteria of a valid form; ``ValidationError`` for an unknown member."""
        data = self.cleaned_data
        user_id = None
        name = data["username"].strip()
        if name:
            user = User.objects.filter(username=name).only("pk").first()
            if user is None:
                raise ValidationError(_("没有这个用户：%(n)s") % {"n": name}, code="user")
            user_id = user.pk
        return services.BatchCriteria(
            user_id=user_id, ip=data["ip"].strip(), since=data["since"], until=data["until"]
        )


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@admin_page
@require_GET
def censor_export(request: ViewerRequest) -> HttpResponse:
    """The censor list as a text file (``censor-words.txt``), Discuz!'s import format."""
    response = HttpResponse(
        services.export_censor_words(), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="censor-words.txt"'
    return response


@admin_page
@require_http_methods(["GET", "POST"])
def content(request: ViewerRequest) -> HttpResponse:
    """GET: censor words, IP bans, the batch delete form and links to the recycle bin and
    reports. POST ``op``: ``add_word``, ``delete_word``, ``preview_import``, ``import``,
    ``add_ipban``, ``delete_ipban``, ``preview_batch``, ``batch_delete``."""
    here = reverse("admincenter:content")
    word_form = CensorWordForm(prefix="w")
    import_form = CensorImportForm(prefix="i")
    ipban_form = IPBanForm(prefix="b")
    batch_form = BatchDeleteForm(prefix="d")
    import_preview = batch_preview = None
    if request.method == "POST":
        op = request.POST.get("op", "")
        actor, ip = request.user, _ip(request)
        try:
            if op == "add_word":
                word_form = CensorWordForm(request.POST, prefix="w")
                if word_form.is_valid():
                    d = word_form.cleaned_data
                    services.add_censor_word(
                        d["find"],
                        action=d["action"],
                        replacement=d["replacement"],
                        actor=actor,
                        ip=ip,
                    )
                    messages.success(request, _("词语已添加。"))
                    return HttpResponseRedirect(here + "#censor")
            elif op == "delete_word":
                word = get_object_or_404(CensorWord, pk=parse_id(request.POST.get("pk")) or 0)
                services.delete_censor_word(word, actor=actor, ip=ip)
                messages.success(request, _("词语已删除。"))
                return HttpResponseRedirect(here + "#censor")
            elif op in ("preview_import", "import"):
                import_form = CensorImportForm(request.POST, prefix="i")
                if import_form.is_valid():
                    text = import_form.cleaned_data["text"]
                    if op == "import":
                        result = services.import_censor_words(text, actor=actor, ip=ip)
                        messages.success(
                            request,
                            _("导入完成：新增 %(a)d 个，修改 %(u)d 个。")
                            % {"a": result.added, "u": result.updated},
                        )
                        return HttpResponseRedirect(here + "#censor")
                    import_preview = services.preview_censor_import(text)
            elif op == "add_ipban":
                ipban_form = IPBanForm(request.POST, prefix="b")
                if ipban_form.is_valid():
                    d = ipban_form.cleaned_data
                    now = timezone.now()
                    expires = now + timedelta(days=d["days"]) if d["days"] else None
                    services.add_ip_ban(
                        d["pattern"],
                        reason=d["reason"],
                        expires_at=expires,
                        actor=actor,
                        ip=ip,
                        now=now,
                    )
                    messages.success(request, _("IP 地址已禁止。"))
                    return HttpResponseRedirect(here + "#ipbans")
            elif op == "delete_ipban":
                ban = get_object_or_404(IPBan, pk=parse_id(request.POST.get("pk")) or 0)
                services.remove_ip_ban(ban, actor=actor, ip=ip)
                messages.success(request, _("已解除 IP 禁止。"))
                return HttpResponseRedirect(here + "#ipbans")
            elif op in ("preview_batch", "batch_delete"):
                batch_form = BatchDeleteForm(request.POST, prefix="d")
                if batch_form.is_valid():
                    criteria = batch_form.criteria()
                    if op == "batch_delete":
                        done = services.batch_delete(
                            criteria, actor=actor, reason=batch_form.cleaned_data["reason"], ip=ip
                        )
                        messages.success(
                            request,
                            _("已删除 %(t)d 个主题（进入回收站）和 %(r)d 个回复。")
                            % {"t": done.threads, "r": done.replies},
                        )
                        return HttpResponseRedirect(here + "#batch")
                    batch_preview = services.preview_batch_delete(criteria)
            else:
                return HttpResponseRedirect(here)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "admincenter/content.html",
        {
            "words": CensorWord.objects.order_by("id"),
            "ipbans": IPBan.objects.order_by("-created"),
            "word_form": word_form,
            "import_form": import_form,
            "ipban_form": ipban_form,
            "batch_form": batch_form,
            "import_preview": import_preview,
            "batch_preview": batch_preview,
            "preview_rows": services.PREVIEW_ROWS,
            "section": "content",
        },
    )
