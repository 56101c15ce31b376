"""Posting forms: new thread (发新帖), reply (回复, also the quick reply), edit (编辑).

Forms only parse what was typed and write nothing; the rules (subject and body length,
flood control, thread types, closed threads) live in the posting pipeline
(:mod:`luntan.threads.posting`), whose ``ValidationError`` codes
:meth:`PostForm.add_service_error` puts on the matching field.

Other apps extend the posting forms through :func:`register_form_extension` (from their
``AppConfig.ready()``): a :class:`FormExtension` adds fields, cleans them and hands what
the pipeline needs (e.g. ``attachment_ids``) to the view through
:meth:`PostForm.request_fields`. ``luntan.attachments`` adds the file fields that way.

Members who must pass the human check (:func:`luntan.permissions.captcha_required_for`:
新手上路 and below, unless the site switches the captcha off) get a ``captcha`` field
through :class:`~luntan.accounts.captcha.CaptchaFormMixin`; the editor template shows it.
"""

from __future__ import annotations

import secrets
from typing import Any, Protocol, cast, runtime_checkable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from luntan import markup, permissions
from luntan.accounts.captcha import CaptchaFormMixin
from luntan.boards.models import Board, ThreadType
from luntan.core.forms import refuse_control_characters
from luntan.threads.models import Post
from luntan.threads.posting.pipeline import SUBJECT_MAX_LENGTH, TOKEN_MAX_LENGTH, check_subject

BODY_FIELD_CODES = frozenset(
    {
        "empty", "too_short", "too_long", "format", "quote", "control",
        "too_large", "too_complex", "too_many_images", "too_many_smilies",
    }
)  # fmt: skip
SUBJECT_FIELD_CODES = frozenset({"subject"})
TYPE_FIELD_CODES = frozenset({"type"})


class FormExtension(Protocol):
    """A feature's part of the posting forms (new thread, reply, quick reply, edit)."""

    def contribute(self, form: PostForm) -> None:
        """Add fields to ``form`` (called at the end of ``__init__``)."""

    def clean(self, form: PostForm, cleaned_data: dict) -> None:
        """Check the extension's fields (``form.add_error`` for problems); must not write
        to the database."""

    def request_fields(self, form: PostForm) -> dict[str, Any]:
        """Keyword arguments for the pipeline request (e.g. ``{"attachment_ids": […]}``)."""
        ...


@runtime_checkable
class RenderedFormExtension(FormExtension, Protocol):
    """An extension that also shows its own fields: ``render(form)`` returns safe HTML
    (its own template) or ``""``; the posting templates put it under the editor
    (:attr:`PostForm.extension_html`). Extensions without ``render`` (attachments) are
    drawn by the editor template itself."""

    def render(self, form: PostForm) -> str: ...


_extensions: list[FormExtension] = []


def register_form_extension(extension: FormExtension) -> None:
    """Add ``extension`` to every posting form (idempotent)."""
    if extension not in _extensions:
        _extensions.append(extension)


def new_form_token() -> str:
    """A random token for one rendering of a posting form (22 URL-safe characters)."""
    return secrets.token_urlsafe(16)


class PostForm(CaptchaFormMixin, forms.Form):
    """Body, format and the form's one-time token; the base of every posting form.

    ``token`` is a hidden random string, new on each rendering: the services store it on
    the post, so the same form submitted twice writes one post. ``user`` is the member
    posting (it decides whether the form carries a ``captcha`` field).
    """

    body = forms.CharField(
        label=_("内容"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "class": "editor-text"}),
    )
    format = forms.ChoiceField(
        label=_("格式"), choices=Post.Format.choices, initial=Post.Format.BBCODE
    )
    token = forms.CharField(required=False, max_length=TOKEN_MAX_LENGTH, widget=forms.HiddenInput)
    #: New posts ask the captcha of those who must solve it; edits never do.
    asks_captcha = True

    #: Which posting form this is (``new_thread``, ``reply``, ``edit``): extensions use
    #: it to add fields to some forms only (polls: new threads).
    kind = "post"

    field_for_code = {
        **dict.fromkeys(BODY_FIELD_CODES, "body"),
        **dict.fromkeys(SUBJECT_FIELD_CODES, "subject"),
        **dict.fromkeys(TYPE_FIELD_CODES, "type"),
    }

    def __init__(self, *args, user=None, viewer=None, **kwargs) -> None:
        self.user = user
        # The request's viewer (boards unlocked by password, moderated boards); the
        # permission checks of the form use it, services get ``user``.
        self.viewer = viewer if viewer is not None else permissions.as_viewer(user)
        super().__init__(
            *args,
            captcha_required=self.asks_captcha and permissions.captcha_required_for(self.viewer),
            **kwargs,
        )
        if not self.is_bound:
            self.initial.setdefault("token", new_form_token())
        for extension in _extensions:
            extension.contribute(self)
        refuse_control_characters(self)  # a NUL byte: a clear error, not Django's

    @property
    def is_preview(self) -> bool:
        """True when the 预览 button sent the form (nothing is stored then)."""
        return self.is_bound and "preview" in self.data

    def clean(self):
        """The markup caps of :func:`luntan.markup.check_input` (bytes before parsing,
        images, smilies, tags; for everyone, staff included; errors go on ``body``),
        then each extension's ``clean``."""
        super().clean()
        cleaned = self.cleaned_data
        body, fmt = cleaned.get("body"), cleaned.get("format")
        if body and fmt in markup.FORMATS:
            try:
                markup.check_input(body, fmt, "post")
            except markup.MarkupLimitError as error:
                self.add_error("body", error)
        for extension in _extensions:
            extension.clean(self, cleaned)
        return cleaned

    @property
    def extension_html(self) -> SafeString:
        """The HTML of the extensions that draw their own fields (see
        :class:`RenderedFormExtension`), joined; empty when none has anything to show."""
        parts = [
            extension.render(self)
            for extension in _extensions
            if isinstance(extension, RenderedFormExtension)
        ]
        return mark_safe("".join(p for p in parts if p))  # noqa: S308 - extensions' safe HTML

    def request_fields(self) -> dict[str, Any]:
        """What the extensions hand to the pipeline request, merged (call after
        ``is_valid()``)."""
        fields: dict[str, Any] = {}
        for extension in _extensions:
            fields.update(extension.request_fields(self))
        return fields

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body") or ""
        if not body.strip():
            raise ValidationError(_("内容不能为空。"), code="empty")
        return body

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's ``ValidationError`` on the field its ``code`` names (body,
        subject, type), or on the form as a whole (flood control, closed thread, …)."""
        field = self.field_for_code.get(getattr(error, "code", None) or "")
        if field not in self.fields:
            field = None
        self.add_error(field, error)


class ReplyForm(PostForm):
    """A reply (回复) or quote reply (引用: ``quote`` is the quoted post's id)."""

    kind = "reply"

    quote = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class NewThreadForm(PostForm):
    """发新帖: thread type (when the board has types), subject, body, format."""

    kind = "new_thread"

    type = forms.ModelChoiceField(
        label=_("主题分类"),
        queryset=ThreadType.objects.none(),
        required=False,
        empty_label=_("选择主题分类"),
    )
    subject = forms.CharField(
        label=_("标题"),
        required=False,
        widget=forms.TextInput(
            attrs={"maxlength": SUBJECT_MAX_LENGTH, "class": "subject-input", "autocomplete": "off"}
        ),
    )

    read_level = forms.TypedChoiceField(
        label=_("阅读权限"),
        coerce=int,
        required=False,
        empty_value=0,  # type: ignore[arg-type]  # 不限 is level 0, not ""
        choices=(),
    )

    field_order = ["type", "subject", "read_level", "body", "format"]

    def __init__(self, *args, board: Board, **kwargs) -> None:
        self.board = board  # before the extensions contribute: they may ask about it
        super().__init__(*args, **kwargs)
        # 阅读权限 (Discuz! allowsetreadperm): levels up to the author's own read access.
        if self.user is not None and permissions.can_set_read_level(self.viewer, board):
            cast(forms.ChoiceField, self.fields["read_level"]).choices = [
                (n, str(n) if n else _("不限")) for n in permissions.read_level_choices(self.viewer)
            ]
        else:
            del self.fields["read_level"]
        types = board.thread_types.order_by("display_order", "pk")
        cast(forms.ModelChoiceField, self.fields["type"]).queryset = types
        if board.thread_types_required:
            self.fields["type"].required = True
            self.fields["type"].error_messages["required"] = _("请选择主题分类。")
        self.has_types = types.exists()
        if not self.has_types:
            del self.fields["type"]

    def clean_subject(self) -> str:
        return check_subject(self.cleaned_data.get("subject") or "")


class EditForm(NewThreadForm):
    """编辑: body and format; for the OP also subject and thread type; an edit reason."""

    kind = "edit"

    reason = forms.CharField(
        label=_("编辑原因"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"maxlength": 200, "autocomplete": "off"}),
    )

    field_order = ["type", "subject", "body", "format", "reason"]
    asks_captcha = False

    def __init__(self, *args, board: Board, is_op: bool, **kwargs) -> None:
        super().__init__(*args, board=board, **kwargs)
        self.is_op = is_op
        if not is_op:
            self.fields.pop("subject", None)
            self.fields.pop("read_level", None)
            self.fields.pop("type", None)
            self.has_types = False
