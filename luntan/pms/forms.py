"""Forms of the private message pages: input only; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luntan.pms.models import PMSettings
from luntan.pms.services import SUBJECT_MAX_LENGTH
from luntan.threads.posting import hooks as posting_hooks

_FORMATS = [("bbcode", "BBCode"), ("markdown", "Markdown")]


class ReplyForm(forms.Form):
    """The reply box of a conversation. With the attachments app installed it also has
    the posting forms' file fields (``attach_files``, ``attachments``, ``staged``:
    :func:`luntan.threads.posting.hooks.message_attachments`); build it with
    ``request.FILES`` and ``user=`` the member, and hand :meth:`attachment_fields` to
    :func:`luntan.pms.services.send_message`."""

    body = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}), strip=False, max_length=20000
    )
    fmt = forms.ChoiceField(label=_("格式"), choices=_FORMATS, initial="bbcode", required=False)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        provider = posting_hooks.message_attachments()
        self._attachments = provider.form_extension if provider and user else None
        if self._attachments is not None:
            self._attachments.contribute(self)

    @property
    def has_attachments(self) -> bool:
        """Does the form offer files (the template draws the file input)?"""
        return self._attachments is not None

    def clean_fmt(self) -> str:
        return self.cleaned_data.get("fmt") or "bbcode"

    def clean(self):
        """Check the attachment fields (files are checked by content and stored, not
        recorded: nothing is written to the database)."""
        cleaned = super().clean()
        if self._attachments is not None:
            self._attachments.clean(self, cleaned)
        return cleaned

    def attachment_fields(self) -> dict:
        """``attachment_ids`` and ``uploads`` for :func:`~luntan.pms.services.send_message`
        (after ``is_valid()``)."""
        if self._attachments is None:
            return {}
        return self._attachments.request_fields(self)


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


class AddMembersForm(forms.Form):
    """邀请成员 to a group conversation: member names, comma separated."""

    names = forms.CharField(
        label=_("邀请成员"), max_length=400, help_text=_("多个用户名用逗号隔开。")
    )


class BlockForm(forms.Form):
    """加入黑名单: a member name."""

    name = forms.CharField(label=_("用户名"), max_length=32)


class AcceptForm(forms.Form):
    """Who may write to me."""

    accept = forms.ChoiceField(label=_("谁可以给我发短消息"), choices=PMSettings.Accept.choices)


class ReportForm(forms.Form):
    """举报 a message."""

    reason = forms.CharField(label=_("举报理由"), max_length=200)
