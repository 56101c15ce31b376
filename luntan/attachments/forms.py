"""The attachment part of the posting forms (发新帖, 回复, 快速回复, 编辑).

:class:`AttachmentFormMixin` adds two fields to a posting form:

- ``attach_files``: files chosen in the form itself (``<input type="file" multiple>``;
  the form must be ``enctype="multipart/form-data"`` and built with ``request.FILES``);
- ``attachments``: ids of files uploaded earlier, comma separated — by the editor through
  ``POST /attachments/upload/`` (it also inserts ``[attach]id[/attach]``), or by an
  earlier submission of this form that failed on another field or was a preview.

``clean()`` uploads the chosen files with :func:`luntan.attachments.services.upload`
(each becomes an unbound attachment; a refused file is an error on ``attach_files``
naming the file) and puts their ids into ``attachments``, so a form shown again keeps
them. ``save_related(post)`` — called by the posting views inside the posting
transaction — binds them to the post with :func:`~luntan.attachments.services.bind`.
The mixin needs ``self.user`` (the posting forms set it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from luntan.attachments import conf, services
from luntan.attachments.models import Attachment

if TYPE_CHECKING:
    from luntan.accounts.models import User

MAX_FILES_PER_POST = 20
_IDS = re.compile(r"^[0-9]{1,18}(,[0-9]{1,18})*$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files; ``clean`` returns a list (maybe empty)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def accept_attribute() -> str:
    """The ``accept`` attribute for the file input: ``.jpg,.png,…`` from the allow-list."""
    return ",".join(f".{e}" for e in sorted(conf.allowed_extensions()))


class AttachmentFormMixin(forms.Form):
    """Adds ``attach_files`` and ``attachments`` to a posting form (see the module doc).

    Put it first among the bases: ``class ReplyForm(AttachmentFormMixin, PostForm)``.
    """

    attach_files = MultipleFileField(label=_("附件"), required=False)
    attachments = forms.CharField(required=False, widget=forms.HiddenInput)
    user: User  # the member posting; set by the posting form
    uploaded_ids: list[int]  # attachments uploaded by clean()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attach_files"].widget.attrs.update(
            {"multiple": True, "accept": accept_attribute(), "class": "attach-input"}
        )

    def clean_attachments(self) -> list[int]:
        raw = (self.cleaned_data.get("attachments") or "").replace(" ", "").strip(",")
        if not raw:
            return []
        if not _IDS.match(raw):
            raise ValidationError(_("附件参数无效。"), code="attachments")
        ids = list(dict.fromkeys(int(i) for i in raw.split(",")))
        if len(ids) > MAX_FILES_PER_POST:
            raise ValidationError(
                _("每个帖子最多 %(n)d 个附件。") % {"n": MAX_FILES_PER_POST}, code="attachments"
            )
        return ids

    def clean(self):
        cleaned = super().clean()
        files = cleaned.get("attach_files") or []
        ids = list(cleaned.get("attachments") or [])
        if files and len(ids) + len(files) > MAX_FILES_PER_POST:
            self.add_error(
                "attach_files",
                ValidationError(
                    _("每个帖子最多 %(n)d 个附件。") % {"n": MAX_FILES_PER_POST}, code="attachments"
                ),
            )
            files = []
        self.uploaded_ids = []
        for uploaded in files:
            try:
                self.uploaded_ids.append(services.upload(self.user, uploaded).pk)
                ids.append(self.uploaded_ids[-1])
            except PermissionDenied as exc:
                self.add_error("attach_files", str(exc))
                break
            except ValidationError as exc:
                name = getattr(uploaded, "name", "")
                for message in exc.messages:
                    self.add_error("attach_files", f"{name}: {message}")
        cleaned["attachments"] = ids
        if files:
            # Shown again (an error elsewhere, a preview), the form keeps the uploads.
            data = self.data.copy()
            data[self.add_prefix("attachments")] = ",".join(str(i) for i in ids)
            self.data = data
        return cleaned

    def save_related(self, post) -> None:
        """Bind the form's attachments to ``post``; raises ``ValidationError`` (rolling
        back the posting transaction) for ids that are not the member's own uploads.

        A form submitted twice (double click) gets the first submission's post back from
        the posting service and sends its files again: files chosen in this submission
        that equal (name and size) one already on the post are left unbound (and purged
        later), so the post keeps one copy.
        """
        parent = getattr(super(), "save_related", None)
        if parent is not None:
            parent(post)
        ids = self.cleaned_data.get("attachments") or []
        fresh = set(getattr(self, "uploaded_ids", ()))
        if fresh and post.pk:
            on_post = set(Attachment.objects.filter(post=post).values_list("filename", "size"))
            if on_post:
                again = Attachment.objects.filter(pk__in=fresh).values_list(
                    "pk", "filename", "size"
                )
                dupes = {pk for pk, name, size in again if (name, size) in on_post}
                ids = [i for i in ids if i not in dupes]
        if ids:
            from luntan.permissions import can_upload

            if not can_upload(self.user, post.thread.board):  # 允许上传附件 (postattachperm)
                raise ValidationError(_("抱歉，您不能在本版块上传附件。"), code="upload")
            services.bind(post, ids, self.user)
