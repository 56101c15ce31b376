"""小黑屋 pages: the public ban list (``/bans/``), banning a member (``/u/<id>/ban/``),
lifting a ban (``/bans/<id>/lift/``) and the IP ban list (``/bans/ip/``).

Banning members is for administrators and super moderators, IP bans for administrators
(:func:`luntan.permissions.can_ban_members` / :func:`~luntan.permissions.can_ban_ips`);
others get 404 (the pages are not advertised). Writes go through
:mod:`luntan.bans.services`.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from luntan import permissions
from luntan.accounts.models import User
from luntan.bans import services
from luntan.bans.forms import BanForm, IPBanForm
from luntan.bans.models import Ban, IPBan
from luntan.core.parsing import pages_for, parse_page
from luntan.permissions.viewer import ViewerRequest

BANS_PER_PAGE = 50


def ban_list(request: ViewerRequest) -> HttpResponse:
    """小黑屋: the public list of banned members (usergroups 禁止发言 and 禁止访问) with each
    active ban's kind, reason, expiry, operator and time, newest member first, ``?page=N``
    (50 a page). Three queries (count, page, the page's bans). Members banned before
    luntan kept records (imported from Discuz!) are listed with their group alone.
    """

    banned = User.objects.filter(group_id__in=services.BANNED_GROUP_IDS)
    num_pages = pages_for(banned.count(), BANS_PER_PAGE)
    page = min(parse_page(request.GET.get("page")), num_pages)
    members = list(
        banned.select_related("group")
        .only("id", "username", "date_joined", "group__id", "group__name")
        .prefetch_related(
            Prefetch("bans", queryset=Ban.objects.filter(lifted_at=None), to_attr="active_bans")
        )
        .order_by("-id")[(page - 1) * BANS_PER_PAGE : page * BANS_PER_PAGE]
    )
    return render(
        request,
        "bans/bans.html",
        {
            "members": members,
            "page": page,
            "num_pages": num_pages,
            "can_lift": permissions.can_ban_members(request.viewer),
        },
    )


def _expiry(days: int | None):
    return timezone.now() + timedelta(days=days) if days else None


@require_http_methods(["GET", "POST"])
def ban_member(request: ViewerRequest, pk: str) -> HttpResponse:
    """禁止用户: the form to ban member ``pk`` (POST: kind, reason, days)."""
    if not permissions.can_ban_members(request.viewer):
        raise Http404
    member = get_object_or_404(User, pk=int(pk))
    form = BanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ban_member(
                member,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                expires_at=_expiry(form.cleaned_data["days"]),
                operator=request.viewer.member,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已将 %(name)s 关进小黑屋。") % {"name": member.username})
            return HttpResponseRedirect(reverse("bans:list"))
    return render(
        request,
        "bans/ban_member.html",
        {"member": member, "form": form, "ban": services.active_ban(member)},
    )


@require_POST
def lift(request: ViewerRequest, pk: str) -> HttpResponse:
    """解除禁止: lift ban ``pk`` (POST) and go back to the list."""
    if not permissions.can_ban_members(request.viewer):
        raise Http404
    ban = get_object_or_404(Ban, pk=int(pk))
    if services.lift_ban(ban, operator=request.viewer.member):
        messages.success(request, _("已解除禁止。"))
    return HttpResponseRedirect(reverse("bans:list"))


@require_http_methods(["GET", "POST"])
def ip_bans(request: ViewerRequest) -> HttpResponse:
    """禁止 IP: the list of IP bans with a form to add one (POST ``pattern``, ``reason``,
    ``days``) and a delete button on each (POST ``delete=<id>``). Administrators only."""
    if not permissions.can_ban_ips(request.viewer):
        raise Http404
    form = IPBanForm(request.POST if "pattern" in request.POST else None)
    if request.method == "POST":
        delete = request.POST.get("delete", "")
        if delete.isdigit():
            if services.unban_ip(int(delete)):
                messages.success(request, _("已删除。"))
            return HttpResponseRedirect(reverse("bans:ip"))
        if form.is_valid():
            try:
                services.ban_ip(
                    form.cleaned_data["pattern"],
                    reason=form.cleaned_data["reason"],
                    expires_at=_expiry(form.cleaned_data["days"]),
                    operator=request.viewer.member,
                )
            except ValidationError as exc:
                form.add_error("pattern", exc)
            else:
                messages.success(request, _("已禁止该 IP 地址。"))
                return HttpResponseRedirect(reverse("bans:ip"))
    return render(request, "bans/ip_bans.html", {"form": form, "bans": IPBan.objects.all()[:500]})
