"""The attachment part of the posting forms (发新帖, 回复, 快速回复, 编辑).

:class:`AttachmentFields` is a form extension (:func:`luntan.threads.forms.register_form_extension`,
registered by :class:`luntan.attachments.apps.AttachmentsConfig`) that adds three fields
to every posting form:

- ``attach_files``: files chosen in the form itself (``<input type="file" multiple>``;
  the form must be ``enctype="multipart/form-data"`` and built with ``request.FILES``);
- ``attachments``: ids of files uploaded earlier, comma separated — by the editor through
  ``POST /attachments/upload/`` (it also inserts ``[attach]id[/attach]``);
- ``staged``: files this form stored on an earlier submission that failed on another
  field, signed (:meth:`~luntan.attachments.services.StoredUpload.sign`), so a form shown
  again keeps them.

Cleaning writes nothing to the database: the chosen files are checked and written to
storage (:func:`luntan.attachments.services.store`), not recorded; a preview stores
nothing at all. The form hands ``attachment_ids`` and ``uploads`` to the posting
pipeline, whose binder (:func:`~luntan.attachments.services.bind_to_post`) records and
binds them inside the posting transaction.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from luntan.attachments import conf, services
from luntan.threads.forms import register_form_extension
from luntan.threads.posting import hooks

MAX_FILES_PER_POST = 20
_IDS = re.compile(r"^[0-9]{1,18}(,[0-9]{1,18})*$")
_MAX_STAGED_CHARS = 64 * 1024


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


def _too_many() -> ValidationError:
    return ValidationError(
        _("每个帖子最多 %(n)d 个附件。") % {"n": MAX_FILES_PER_POST}, code="attachments"
    )


def parse_ids(raw: str) -> list[int]:
    """The attachment ids of the ``attachments`` field (``"12,34"``), distinct, in order.
    Raises ``ValidationError`` (code ``attachments``) for malformed input or more than
    :data:`MAX_FILES_PER_POST`."""
    raw = (raw or "").replace(" ", "").strip(",")
    if not raw:
        return []
    if not _IDS.match(raw):
        raise ValidationError(_("附件参数无效。"), code="attachments")
    ids = list(dict.fromkeys(int(i) for i in raw.split(",")))
    if len(ids) > MAX_FILES_PER_POST:
        raise _too_many()
    return ids


class AttachmentFields:
    """The posting forms' attachment fields (see the module doc); one shared instance,
    :data:`EXTENSION`. The form needs ``form.user`` (the posting forms set it)."""

    def contribute(self, form) -> None:
        """Add ``attach_files``, ``attachments`` and ``staged`` to ``form``."""
        files = MultipleFileField(label=_("附件"), required=False)
        files.widget.attrs.update(
            {"multiple": True, "accept": accept_attribute(), "class": "attach-input"}
        )
        form.fields["attach_files"] = files
        form.fields["attachments"] = forms.CharField(required=False, widget=forms.HiddenInput)
        form.fields["staged"] = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self, form, cleaned: dict) -> None:
        """Parse the ids and the staged files, and store newly chosen files (not on a
        preview). Problems become errors on ``attach_files`` / ``attachments``."""
        try:
            ids = parse_ids(cleaned.get("attachments") or "")
        except ValidationError as exc:
            form.add_error("attachments", exc)
            ids = []
        staged: list[services.StoredUpload] = []
        raw_staged = (cleaned.get("staged") or "")[:_MAX_STAGED_CHARS]
        for token in filter(None, raw_staged.split(",")):
            try:
                staged.append(services.StoredUpload.unsign(token, form.user))
            except ValidationError as exc:
                form.add_error("attachments", exc)
                break
        files = cleaned.get("attach_files") or []
        if files and getattr(form, "is_preview", False):
            files = []  # a preview stores nothing; the member chooses the files again
        if files and len(ids) + len(staged) + len(files) > MAX_FILES_PER_POST:
            form.add_error("attach_files", _too_many())
            files = []
        for uploaded in files:
            try:
                staged.append(services.store(form.user, uploaded))
            except PermissionDenied as exc:
                form.add_error("attach_files", str(exc))
                break
            except ValidationError as exc:
                name = getattr(uploaded, "name", "")
                for message in exc.messages:
                    form.add_error("attach_files", f"{name}: {message}")
        cleaned["attachments"] = ids
        cleaned["staged"] = staged
        if files:
            # Shown again (an error elsewhere), the form keeps the stored files.
            data = form.data.copy()
            data[form.add_prefix("staged")] = ",".join(s.sign() for s in staged)
            form.data = data

    def request_fields(self, form) -> dict[str, Any]:
        """``attachment_ids`` and ``uploads`` for the posting pipeline's request."""
        return {
            "attachment_ids": list(form.cleaned_data.get("attachments") or []),
            "uploads": tuple(form.cleaned_data.get("staged") or ()),
        }


EXTENSION = AttachmentFields()


def register() -> None:
    """Register :data:`EXTENSION` with the posting forms and the binder with the posting
    pipeline (from :class:`luntan.attachments.apps.AttachmentsConfig`)."""

    register_form_extension(EXTENSION)
    hooks.register_binder(services.bind_to_post)
