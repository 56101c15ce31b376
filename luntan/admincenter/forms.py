"""Forms of the 管理中心 (validation only; the writes are in :mod:`.services`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luntan.siteadmin.views import SiteSettingsForm

#: The fields of 全局 › 站点设置, in page order.
GLOBAL_FIELDS = [
    "site_name",
    "icp_number",
    "police_filing",
    "registration_mode",
    "captcha_first_posts",
    "captcha_login_failures",
    "time_zone",
    "ip_location_level",
    "post_min_length",
    "post_max_length",
    "flood_seconds",
    "edit_window_seconds",
    "new_post_review",
    "site_closed",
    "closed_message",
    "require_staff_mfa",
]


class GlobalSettingsForm(SiteSettingsForm):
    """全局: the site settings of the 站点设置 page plus the captcha policy and 站点关闭."""

    class Meta(SiteSettingsForm.Meta):
        fields = GLOBAL_FIELDS
        widgets = {"closed_message": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("site_closed") and not (cleaned.get("closed_message") or "").strip():
            self.add_error("closed_message", _("关闭站点时请填写关闭原因，访客会看到它。"))
        return cleaned


class TestMailForm(forms.Form):
    """发送测试邮件: the address the test mail goes to."""

    to = forms.EmailField(label=_("收件地址"), max_length=254)


class ConfirmPasswordForm(forms.Form):
    """Sudo mode: the administrator's own password."""

    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
