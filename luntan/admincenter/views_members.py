"""用户 pages of the 管理中心: member search, one member (group, ban, delete) and the
usergroups' rights. Writes go through :mod:`luntan.admincenter.members`."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from luntan.accounts.models import User, UserGroup
from luntan.admincenter import members as services
from luntan.admincenter import merge
from luntan.admincenter.access import admin_page
from luntan.bans.models import Ban
from luntan.bans.services import active_ban
from luntan.core.models import SiteSettings, get_site_settings
from luntan.core.parsing import parse_id
from luntan.permissions.viewer import ViewerRequest


class SearchForm(forms.Form):
    """搜索会员: every field optional."""

    name = forms.CharField(label=gettext_lazy("用户名"), required=False, max_length=30)
    email = forms.CharField(label=gettext_lazy("邮箱"), required=False, max_length=254)
    ip = forms.CharField(label=gettext_lazy("IP 地址"), required=False, max_length=45)
    joined_from = forms.DateField(
        label=gettext_lazy("注册日期从"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    joined_to = forms.DateField(
        label=gettext_lazy("到"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class BanForm(forms.Form):
    """禁止用户: kind, reason, days (0: until lifted)."""

    kind = forms.ChoiceField(label=gettext_lazy("处罚"), choices=Ban.Kind.choices)
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=200)
    days = forms.IntegerField(
        label=gettext_lazy("天数（0 为永久）"), min_value=0, max_value=3650, initial=7
    )


class GroupForm(forms.ModelForm):
    """用户组: the rights as checkboxes and numbers."""

    class Meta:
        model = UserGroup
        fields = list(services.GROUP_FIELDS)
        # The signature rights' own names have no English yet in accounts' catalogue.
        labels = {
            "max_sig_size": gettext_lazy("签名最大长度"),
            "allow_sig_bbcode": gettext_lazy("签名允许使用 BBCode"),
            "allow_sig_images": gettext_lazy("签名允许使用 [img] 代码"),
        }
        help_texts = {"max_sig_size": gettext_lazy("字符数；0 表示不允许使用签名。")}


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@admin_page
def member_search(request: ViewerRequest) -> HttpResponse:
    """搜索会员: by name, e-mail, IP (registration or posts) and registration dates; 50 a
    page."""
    form = SearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        query = services.MemberQuery(**form.cleaned_data)
        page = Paginator(services.search_members(query), 50).get_page(request.GET.get("page"))
    elif not form.is_bound:
        page = Paginator(services.search_members(services.MemberQuery()), 50).get_page(1)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "admincenter/members.html",
        {
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "pending": services.pending_registrations().count(),
            "section": "members",
        },
    )


@admin_page
@require_http_methods(["GET", "POST"])
def member_detail(request: ViewerRequest, pk: int) -> HttpResponse:
    """One member: 用户组, 禁止/解除禁止, 删除 (keep or recycle the content), 合并账号
    (``?merge_into=<name>`` previews merging this account into that one; POST ``op=merge``
    with ``into`` and ``confirm=yes`` does it). POST ``op`` names the form."""
    member = get_object_or_404(User.objects.select_related("group"), pk=pk)
    here = reverse("admincenter:member", args=[member.pk])
    ban_form = BanForm()
    if request.method == "POST":
        op = request.POST.get("op", "")
        actor, ip = request.user, _ip(request)
        try:
            if op == "group":
                group = get_object_or_404(UserGroup, pk=parse_id(request.POST.get("group")) or 0)
                services.change_group(member, group, actor=actor, ip=ip)
                messages.success(request, _("用户组已修改。"))
            elif op == "ban":
                ban_form = BanForm(request.POST)
                if not ban_form.is_valid():
                    return _member_page(request, member, ban_form)
                services.ban(member, actor=actor, ip=ip, **ban_form.cleaned_data)
                messages.success(request, _("已禁止该用户。"))
            elif op == "unban":
                if services.unban(member, actor=actor, ip=ip):
                    messages.success(request, _("已解除禁止。"))
                else:
                    messages.info(request, _("该用户没有被禁止。"))
            elif op == "delete":
                if request.POST.get("confirm") != "yes":
                    messages.error(request, _("请勾选确认删除。"))
                    return HttpResponseRedirect(here)
                with_content = request.POST.get("content") == "remove"
                services.delete(member, with_content=with_content, actor=actor, ip=ip)
                messages.success(request, _("已删除用户 %(name)s。") % {"name": member.username})
                return HttpResponseRedirect(reverse("admincenter:members"))
            elif op == "merge":
                keep = get_object_or_404(User, pk=parse_id(request.POST.get("into")) or 0)
                if request.POST.get("confirm") != "yes":
                    messages.error(request, _("请勾选确认合并。"))
                    return HttpResponseRedirect(
                        here + "?" + urlencode({"merge_into": keep.username}) + "#merge"
                    )
                merge.merge_members(keep, member, actor=actor, ip=ip)
                messages.success(
                    request,
                    _("已把 %(drop)s 合并到 %(keep)s。")
                    % {"drop": member.username, "keep": keep.username},
                )
                return HttpResponseRedirect(reverse("admincenter:member", args=[keep.pk]))
            else:
                return HttpResponseRedirect(here)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(here)
    return _member_page(request, member, ban_form)


def _merge_preview(request, member: User) -> tuple[str, merge.MergePreview | None, str]:
    """The ``?merge_into=<name>`` preview of merging ``member`` into that account:
    (the name asked, the preview or None, an error message or "")."""
    name = (request.GET.get("merge_into") or "").strip()[:30]
    if not name:
        return "", None, ""
    keep = User.objects.filter(username=name).first()
    if keep is None:
        return name, None, _("没有找到会员 %(name)s。") % {"name": name}
    try:
        return name, merge.merge_preview(keep, member, actor=request.user), ""
    except ValidationError as exc:
        return name, None, " ".join(exc.messages)


def _member_page(request, member: User, ban_form: BanForm) -> HttpResponse:
    merge_name, preview, merge_error = _merge_preview(request, member)
    return render(
        request,
        "admincenter/member.html",
        {
            "member": member,
            "groups": UserGroup.objects.order_by("pk"),
            "ban": active_ban(member),
            "ban_form": ban_form,
            "merge_name": merge_name,
            "preview": preview,
            "merge_error": merge_error,
            "section": "members",
        },
    )


@admin_page
@require_http_methods(["GET", "POST"])
def registrations(request: ViewerRequest) -> HttpResponse:
    """审核新用户: the members waiting for approval (人工审核 registration), each with
    通过 and 拒绝 (a reason); below, the refused ones (who may still be approved). POST
    ``op=approve|reject``, ``member`` and, to refuse, ``reason``."""
    here = reverse("admincenter:registrations")
    if request.method == "POST":
        member = get_object_or_404(User, pk=parse_id(request.POST.get("member")) or 0)
        op = request.POST.get("op", "")
        try:
            if op == "approve":
                services.approve_registration(member, actor=request.user, ip=_ip(request))
                messages.success(request, _("已通过 %(name)s 的注册。") % {"name": member.username})
            elif op == "reject":
                services.reject_registration(
                    member, request.POST.get("reason", ""), actor=request.user, ip=_ip(request)
                )
                messages.success(request, _("已拒绝 %(name)s 的注册。") % {"name": member.username})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(here)
    return render(
        request,
        "admincenter/registrations.html",
        {
            "pending": list(services.pending_registrations()[:200]),
            "rejected": list(services.rejected_registrations()[:50]),
            "manual": get_site_settings().registration_mode == SiteSettings.RegistrationMode.MANUAL,
            "section": "members",
        },
    )


@admin_page
def group_list(request: ViewerRequest) -> HttpResponse:
    """用户组: every group with its member count and main rights."""
    from django.db.models import Count

    groups = UserGroup.objects.annotate(n=Count("members")).order_by("pk")
    return render(request, "admincenter/groups.html", {"groups": groups, "section": "groups"})


@admin_page
@require_http_methods(["GET", "POST"])
def group_detail(request: ViewerRequest, pk: int) -> HttpResponse:
    """One usergroup's rights as checkboxes and fields."""
    group = get_object_or_404(UserGroup, pk=pk)
    form = GroupForm(request.POST or None, instance=UserGroup.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        changed = services.update_usergroup(
            group,
            {f: form.cleaned_data[f] for f in services.GROUP_FIELDS},
            actor=request.user,
            ip=_ip(request),
        )
        messages.success(request, _("用户组已保存。") if changed else _("没有修改任何设置。"))
        return HttpResponseRedirect(reverse("admincenter:group", args=[group.pk]))
    return render(
        request, "admincenter/group.html", {"group": group, "form": form, "section": "groups"}
    )
