"""Forms of the private message pages: input only; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luntan.pms.models import PMSettings
from luntan.pms.services import SUBJECT_MAX_LENGTH

_FORMATS = [("bbcode", "BBCode"), ("markdown", "Markdown")]


class ReplyForm(forms.Form):
    """The reply box of a conversation."""

    body = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}), strip=False, max_length=20000
    )
    fmt = forms.ChoiceField(label=_("格式"), choices=_FORMATS, initial="bbcode", required=False)

    def clean_fmt(self) -> str:
        return self.cleaned_data.get("fmt") or "bbcode"


class ComposeForm(ReplyForm):
    """发送短消息: recipients by name (comma separated), an optional subject for a group."""

    to = forms.CharField(
        label=_("收件人"),
        max_length=400,
        help_text=_("多个用户名用逗号隔开。"),
    )
    subject = forms.CharField(
        label=_("标题"),
        max_length=SUBJECT_MAX_LENGTH,
        required=False,
        help_text=_("发给多人时作为群聊的标题。"),
    )
    field_order = ["to", "subject", "body", "fmt"]


class BlockForm(forms.Form):
    """加入黑名单: a member name."""

    name = forms.CharField(label=_("用户名"), max_length=32)


class AcceptForm(forms.Form):
    """Who may write to me."""

    accept = forms.ChoiceField(label=_("谁可以给我发短消息"), choices=PMSettings.Accept.choices)


class ReportForm(forms.Form):
    """举报 a message."""

    reason = forms.CharField(label=_("举报理由"), max_length=200)
