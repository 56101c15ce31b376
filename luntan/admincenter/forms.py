"""Forms of the 管理中心 (validation only; the writes are in :mod:`.services`)."""

from __future__ import annotations

import re
from email.utils import parseaddr

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from luntan.core.models import MailSettings
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


class MailSettingsForm(forms.ModelForm):
    """全局 › 邮件设置: SMTP server, port, user, password (never shown back: empty keeps
    the stored one; 清除密码 removes it), encryption and the sender address."""

    password = forms.CharField(
        label=_("SMTP 密码"),
        required=False,
        strip=False,
        max_length=255,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
        help_text=_("留空则保留已保存的密码；密码加密保存，不会在页面上显示。"),
    )
    clear_password = forms.BooleanField(label=_("清除已保存的密码"), required=False)

    class Meta:
        model = MailSettings
        fields = ["host", "port", "username", "security", "from_address"]
        help_texts = {
            "host": _("留空则使用环境变量 EMAIL_HOST 等设置（未设置时邮件只打印到控制台）。"),
            "from_address": _(
                "例如：老街论坛 <noreply@example.com>；留空则用 DEFAULT_FROM_EMAIL。"
            ),
        }

    def clean_host(self) -> str:
        host = (self.cleaned_data.get("host") or "").strip()
        if host and not re.fullmatch(r"[A-Za-z0-9.\-:\[\]]{1,255}", host):
            raise forms.ValidationError(_("请填写服务器的域名或 IP 地址。"))
        return host

    def clean_from_address(self) -> str:
        value = (self.cleaned_data.get("from_address") or "").strip()
        if value:
            _name, address = parseaddr(value)
            try:
                validate_email(address)
            except forms.ValidationError:
                raise forms.ValidationError(_("请填写正确的发件地址。")) from None
        return value

    def clean_password(self) -> str:
        value = self.cleaned_data.get("password") or ""
        if not value.isascii():
            raise forms.ValidationError(_("SMTP 密码只能包含英文字母、数字和符号。"))
        return value

    def clean(self) -> dict:
        """A changed server (``host``) with a stored password needs the password typed
        again (or 清除): the saved password is never sent to a server it was not
        entered for."""
        cleaned = super().clean() or self.cleaned_data
        host = cleaned.get("host")
        if (
            host
            and host != self.instance.host
            and self.instance.password_encrypted
            and not cleaned.get("password")
            and not cleaned.get("clear_password")
        ):
            self.add_error("password", _("更换 SMTP 服务器时请重新输入密码。"))
        return cleaned

    def new_password(self) -> str | None:
        """The password to store: None keeps the saved one, "" clears it."""
        if self.cleaned_data.get("clear_password"):
            return ""
        return self.cleaned_data.get("password") or None


class TestMailForm(forms.Form):
    """发送测试邮件: the address the test mail goes to."""

    to = forms.EmailField(label=_("收件地址"), max_length=254)


class ConfirmPasswordForm(forms.Form):
    """Sudo mode: the administrator's own password."""

    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
