"""运营 page of the 管理中心: announcements, navigation links, friend links."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luntan.admincenter import operations as services
from luntan.admincenter.access import admin_page
from luntan.core.models import Announcement, SiteLink
from luntan.core.parsing import parse_id
from luntan.permissions.viewer import ViewerRequest


class AnnouncementForm(forms.ModelForm):
    """新公告: times are in the viewer's time zone (Django's active zone)."""

    class Meta:
        model = Announcement
        fields = ["title", "message", "url", "starts_at", "ends_at", "display_order"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 2}),
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }


class LinkForm(forms.ModelForm):
    """新链接: navigation or friend link."""

    class Meta:
        model = SiteLink
        fields = ["kind", "name", "url", "description", "display_order"]


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@admin_page
@require_http_methods(["GET", "POST"])
def operations(request: ViewerRequest) -> HttpResponse:
    """GET: announcements and links with their forms. POST ``op``: ``add_announcement``,
    ``delete_announcement``, ``add_link``, ``delete_link``."""
    here = reverse("admincenter:operations")
    ann_form = AnnouncementForm(
        initial={"starts_at": timezone.localtime().replace(second=0, microsecond=0)}, prefix="a"
    )
    link_form = LinkForm(prefix="l")
    if request.method == "POST":
        op = request.POST.get("op", "")
        actor, ip = request.user, _ip(request)
        try:
            if op == "add_announcement":
                ann_form = AnnouncementForm(request.POST, prefix="a")
                if ann_form.is_valid():
                    services.add_announcement(ann_form.instance, actor=actor, ip=ip)
                    messages.success(request, _("公告已发布。"))
                    return HttpResponseRedirect(here)
            elif op == "delete_announcement":
                item = get_object_or_404(Announcement, pk=parse_id(request.POST.get("pk")) or 0)
                services.delete_announcement(item, actor=actor, ip=ip)
                messages.success(request, _("公告已删除。"))
                return HttpResponseRedirect(here)
            elif op == "add_link":
                link_form = LinkForm(request.POST, prefix="l")
                if link_form.is_valid():
                    services.add_link(link_form.instance, actor=actor, ip=ip)
                    messages.success(request, _("链接已添加。"))
                    return HttpResponseRedirect(here)
            elif op == "delete_link":
                link = get_object_or_404(SiteLink, pk=parse_id(request.POST.get("pk")) or 0)
                services.delete_link(link, actor=actor, ip=ip)
                messages.success(request, _("链接已删除。"))
                return HttpResponseRedirect(here)
            else:
                return HttpResponseRedirect(here)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(here)
    now = timezone.now()
    return render(
        request,
        "admincenter/operations.html",
        {
            "announcements": Announcement.objects.all(),
            "links": SiteLink.objects.all(),
            "ann_form": ann_form,
            "link_form": link_form,
            "now": now,
            "section": "operations",
        },
    )
