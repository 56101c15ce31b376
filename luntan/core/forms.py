"""Form helpers shared by the apps.

Django refuses a NUL character (``\\x00``) in every ``CharField`` with
:class:`~django.core.validators.ProhibitNullCharactersValidator`, whose Simplified
Chinese message in Django's catalog ("不允许是用空字符串。") reads as "empty strings are not
allowed" — a member who pasted a NUL byte is told something false. :func:`refuse_control_characters`
gives the form's text fields a message that says what is wrong.
"""

from __future__ import annotations

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTER_CODE = "null_characters_not_allowed"


def control_character_message():
    """The form error for a NUL character in a text field (lazy, translated)."""
    return _("内容包含不允许的控制字符（空字符 NUL），请删除后再提交。")


def refuse_control_characters(form: forms.BaseForm) -> None:
    """Give every ``CharField`` of ``form`` (bound or not) a NUL-character validator
    with :func:`control_character_message` instead of Django's misleading one; the code
    stays ``null_characters_not_allowed``. Call at the end of the form's ``__init__``.
    The validators list of each field is copied (form fields are deep-copied per form,
    their ``validators`` list is shared with the class's field), so no other form changes.
    """
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        field.validators = [
            *kept,
            ProhibitNullCharactersValidator(
                message=control_character_message(), code=CONTROL_CHARACTER_CODE
            ),
        ]
