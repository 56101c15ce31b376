"""站点设置 (``/admin-settings/``): the administrators' settings page on the forum itself.

Administrators (group 1 or superusers, :func:`luntan.permissions.can_edit_site_settings`)
edit the day-to-day settings of :class:`~luntan.core.models.SiteSettings` here — site name,
ICP and 公安备案 numbers, registration mode, IP location display level, post length limits,
flood interval, edit window, new post review — without Django's admin. Everyone else gets
404 (the page is not advertised). Saving goes through
:func:`luntan.core.services.save_site_settings` (which clears the settings cache).

The site time zone (empty: the ``TIME_ZONE`` environment variable, default
``Asia/Shanghai``) is where days start for statistics, credits and upload quotas and what
guests see times in; members pick their own zone on their settings page.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from luntan import permissions
from luntan.core.models import SiteSettings, get_site_settings
from luntan.core.services import save_site_settings
from luntan.permissions.viewer import ViewerRequest


class SiteSettingsForm(forms.ModelForm):
    """The editable fields; lengths are characters, intervals seconds."""

    class Meta:
        model = SiteSettings
        fields = [
            "site_name",
            "icp_number",
            "police_filing",
            "registration_mode",
            "ip_location_level",
            "post_min_length",
            "post_max_length",
            "flood_seconds",
            "edit_window_seconds",
            "new_post_review",
            "time_zone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_post_review"].required = False  # left out: kept as it is

    def clean_new_post_review(self) -> str:
        return self.cleaned_data.get("new_post_review") or self.instance.new_post_review

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        low, high = cleaned.get("post_min_length"), cleaned.get("post_max_length")
        if low is not None and high and low > high:
            self.add_error("post_max_length", gettext_lazy("帖子最大字数不能小于帖子最小字数。"))
        if not (cleaned.get("site_name") or "").strip():
            self.add_error("site_name", gettext_lazy("站点名称不能为空。"))
        return cleaned


@require_http_methods(["GET", "POST"])
def site_settings(request: ViewerRequest) -> HttpResponse:
    """GET: the form with the current settings. POST (CSRF): validate, save, 302 back with
    "设置已保存"; invalid input gives the form back with messages (status 200)."""
    if not permissions.can_edit_site_settings(request.viewer):
        raise Http404
    current = SiteSettings.objects.filter(pk=1).first() or get_site_settings()
    form = SiteSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        save_site_settings(form.instance)
        messages.success(request, _("设置已保存。"))
        return HttpResponseRedirect(reverse("siteadmin:site_settings"))
    return render(
        request,
        "siteadmin/site_settings.html",
        {"form": form, "time_zone": settings.TIME_ZONE},  # the default when left empty
    )
