"""Human check (验证码): a self-hosted proof-of-work captcha (django-altcha / ALTCHA).

The page carries an HMAC-signed challenge (SHA-256 of ``salt + n`` for a secret
``n < ALTCHA max_number``); the browser finds ``n`` in a Web Worker (a second or so on a
phone) and posts the solution in the ``captcha`` field. The server checks the signature,
the hash and the expiry (``ALTCHA_CHALLENGE_EXPIRE``, 20 min) and remembers each used
challenge in the cache so a solution works once. The script is django-altcha's copy of
``altcha.min.js`` served from our static files; no request leaves the site. Discuz! shows
its 滑块验证 (slider) or 验证码 (image code) in the same places: registration and, for
new members, posting.

For forms (posting engineer)::

    from luntan.accounts.captcha import CaptchaFormMixin, captcha_required_for

    class ReplyForm(CaptchaFormMixin, forms.Form):
        body = forms.CharField(...)

    form = ReplyForm(request.POST or None, captcha_user=request.user)
    # the form has a "captcha" field exactly when captcha_required_for(request.user)

Render ``{{ form.captcha }}`` (or the whole form) inside the ``<form>``; an invalid or
missing solution is a form error on ``captcha``. ``settings.LUNTAN_CAPTCHA = False``
removes the check everywhere; a system check (``luntan.accounts.checks``) refuses that
outside DEBUG and the test settings.
"""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_altcha import AltchaField, AltchaWidget

from luntan.accounts.groups import NEWBIE_GROUPS

#: Usergroups that solve the captcha to post (新手上路 and below, as Discuz!'s default
#: ``seccodedata['minposts']``-style rule for new members): 等待验证会员, 限制会员, 新手上路.
CAPTCHA_GROUPS = NEWBIE_GROUPS
FIELD_NAME = "captcha"


def captcha_enabled() -> bool:
    """False only when ``settings.LUNTAN_CAPTCHA`` is off (tests, DEBUG development)."""
    return bool(getattr(settings, "LUNTAN_CAPTCHA", True))


def captcha_required_for(user) -> bool:
    """True when ``user`` must solve the captcha to register or post: guests and members
    of 等待验证会员 (8), 限制会员 (9) and 新手上路 (10). Always False when the captcha is
    switched off. Pages that have a viewer ask
    :func:`luntan.permissions.captcha_required_for` (the same rule, for a viewer) and pass
    the answer to :class:`CaptchaFormMixin` as ``captcha_required``; this one serves the
    layers below ``permissions`` (registration)."""
    if not captcha_enabled():
        return False
    if user is None or not getattr(user, "is_authenticated", False):
        return True
    return user.group_id in CAPTCHA_GROUPS


def _strings() -> str:
    return json.dumps(
        {
            "label": str(_("点击进行人机验证")),
            "verifying": str(_("正在验证…")),
            "verified": str(_("验证通过")),
            "waitAlert": str(_("正在验证，请稍候…")),
            "error": str(_("验证失败，请重试。")),
            "expired": str(_("验证已过期，请重试。")),
            "verificationRequired": str(_("请先完成人机验证！")),
            "loading": str(_("加载中…")),
            "reload": str(_("重新加载")),
            "verify": str(_("验证")),
            "footer": "",
            "ariaLinkLabel": "",
        },
        ensure_ascii=False,
    )


class CaptchaWidget(AltchaWidget):
    """django-altcha's widget in the site's style (a slider-like bar, 滑块验证); the
    challenge is embedded in the page (no challenge URL, no third-party request)."""

    template_name = "accounts/captcha_widget.html"
    input_type = "altcha"  # not "hidden": the form shows it with its label, in place

    def get_context(self, name, value, attrs):  # noqa: D102
        self.options["strings"] = _strings()
        return super().get_context(name, value, attrs)


class CaptchaField(AltchaField):
    """A form field holding the ALTCHA solution (base64 JSON). Cleans to the payload
    string; raises ``ValidationError`` (code ``required``/``invalid``/``error``) for a
    missing, wrong, expired or reused solution."""

    widget = CaptchaWidget
    default_error_messages = {
        "error": _("人机验证失败，请重试。"),
        "invalid": _("人机验证无效或已过期，请重试。"),
        "required": _("请完成人机验证。"),
        "replay": _("该验证已使用过，请重新验证。"),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("人机验证"))
        kwargs.setdefault("auto", "onfocus")
        kwargs.setdefault("hidefooter", True)
        kwargs.setdefault("hidelogo", True)
        kwargs.setdefault("refetchonexpire", False)
        super().__init__(**kwargs)
        self.error_messages.update(self.default_error_messages)

    def validate(self, value) -> None:  # noqa: D102
        if not captcha_enabled():
            return
        super().validate(value)


class CaptchaFormMixin:
    """Adds :class:`CaptchaField` as ``captcha`` when the captcha is required.

    Pass ``captcha_required`` (a bool, e.g. :func:`luntan.permissions.
    captcha_required_for` of the viewer) or the acting user as the ``captcha_user``
    keyword (``None``/anonymous: a guest; then :func:`captcha_required_for` decides).
    Put the mixin before ``forms.Form``/``forms.ModelForm`` in the bases.
    """

    fields: dict[str, forms.Field]  # the form's (the mixin sits on a Form/ModelForm)

    def __init__(
        self, *args, captcha_user=None, captcha_required: bool | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        if captcha_required is None:
            captcha_required = captcha_required_for(captcha_user)
        if captcha_required and captcha_enabled():
            self.fields[FIELD_NAME] = CaptchaField()


__all__ = [
    "CAPTCHA_GROUPS",
    "CaptchaField",
    "CaptchaFormMixin",
    "CaptchaWidget",
    "captcha_enabled",
    "captcha_required_for",
]
