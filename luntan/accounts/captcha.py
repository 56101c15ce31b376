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
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.utils.translation import gettext_lazy as _
from django_altcha import AltchaField, AltchaWidget, get_altcha_challenge

from luntan.accounts.groups import STAFF_GROUPS, GroupId
from luntan.core.cache import shared as cache  # one count for every worker
from luntan.core.models import get_site_settings

FIELD_NAME = "captcha"
#: Groups never asked when posting: 管理员, 超级版主, 版主, 实习版主.
CAPTCHA_EXEMPT_GROUPS = STAFF_GROUPS | {GroupId.MODERATOR, GroupId.INTERN_MODERATOR}


def captcha_enabled() -> bool:
    """False only when ``settings.LUNTAN_CAPTCHA`` is off (tests, DEBUG development)."""
    return bool(getattr(settings, "LUNTAN_CAPTCHA", True))


def captcha_required_for(user) -> bool:
    """True when ``user`` must solve the captcha to register or post: guests (registration),
    and members with fewer than ``settings.LUNTAN_CAPTCHA_FIRST_POSTS`` posts outside
    :data:`CAPTCHA_EXEMPT_GROUPS` (Discuz!'s ``seccodedata['minposts']``). Always False when the captcha is
    switched off. Pages that have a viewer ask
    :func:`luntan.permissions.captcha_required_for` (the same rule, for a viewer) and pass
    the answer to :class:`CaptchaFormMixin` as ``captcha_required``; this one serves the
    layers below ``permissions`` (registration)."""
    if not captcha_enabled():
        return False
    if user is None or not getattr(user, "is_authenticated", False):
        return True
    if user.is_superuser or user.group_id in CAPTCHA_EXEMPT_GROUPS:
        return False
    return (user.posts or 0) < first_posts_threshold()


def first_posts_threshold() -> int:
    """Members with fewer posts than this solve the captcha to post (0: nobody): the site
    setting ``captcha_first_posts`` (管理中心 › 全局) when set, else
    ``settings.LUNTAN_CAPTCHA_FIRST_POSTS`` (default 5). No query when the settings are
    cached."""
    value = get_site_settings().captcha_first_posts
    if value is None:
        value = int(getattr(settings, "LUNTAN_CAPTCHA_FIRST_POSTS", 5))
    return int(value)


def login_failures_threshold() -> int:
    """Failed logins from one IP after which the login form asks for the captcha (0:
    always): the site setting ``captcha_login_failures`` when set, else
    ``settings.LUNTAN_CAPTCHA_LOGIN_FAILURES`` (default 3)."""
    value = get_site_settings().captcha_login_failures
    if value is None:
        value = int(getattr(settings, "LUNTAN_CAPTCHA_LOGIN_FAILURES", 3))
    return int(value)


# --- login after failures (Discuz!: 登录失败后显示验证码) -----------------------------------


def _failures_key(ip: str) -> str:
    return f"luntan:login-failures:{ip}"


def login_failures(ip: str | None) -> int:
    """Failed logins from ``ip`` within ``settings.LUNTAN_CAPTCHA_LOGIN_WINDOW`` seconds
    (counted from the first one); 0 for an unknown address."""
    if not ip:
        return 0
    return int(cache.get(_failures_key(ip)) or 0)


def note_login_failure(ip: str | None) -> None:
    """Count one failed login from ``ip`` (the ``user_login_failed`` signal)."""
    if not ip:
        return
    key = _failures_key(ip)
    window = int(getattr(settings, "LUNTAN_CAPTCHA_LOGIN_WINDOW", 900))
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)


def clear_login_failures(ip: str | None) -> None:
    """Forget ``ip``'s failed logins (a successful login)."""
    if ip:
        cache.delete(_failures_key(ip))


def login_needs_captcha(ip: str | None) -> bool:
    """True when the login form asks for the captcha: the captcha is on and ``ip`` has
    failed ``settings.LUNTAN_CAPTCHA_LOGIN_FAILURES`` times (default 3; 0 always asks)
    recently. Discuz! X3.4 shows its 验证码 at login after failed attempts."""
    if not captcha_enabled():
        return False
    return login_failures(ip) >= login_failures_threshold()


def _on_login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    note_login_failure(request.META.get("REMOTE_ADDR") if request is not None else None)


def _on_logged_in(sender, request=None, user=None, **kwargs) -> None:
    clear_login_failures(request.META.get("REMOTE_ADDR") if request is not None else None)


def connect_login_signals() -> None:
    """Count failed logins per IP and forget them at a successful login (called from
    ``AccountsConfig.ready``)."""
    user_login_failed.connect(_on_login_failed, dispatch_uid="luntan-captcha-login-failed")
    user_logged_in.connect(_on_logged_in, dispatch_uid="luntan-captcha-logged-in")


def _strings() -> str:
    return json.dumps(
        {
            "verifying": str(_("正在验证…")),
            "verified": str(_("验证通过")),
            "error": str(_("验证失败，请点击重试；仍不行请刷新页面。")),
            "timeout": str(_("验证超时，请点击重试；仍不行请刷新页面。")),
            "expired": str(_("验证已过期，请刷新页面。")),
        },
        ensure_ascii=False,
    )


def max_number() -> int:
    """The largest secret number of a challenge (``settings.LUNTAN_CAPTCHA_MAX_NUMBER``,
    default 100 000): the browser tries on average half of them, one SHA-256 each, in plain
    JavaScript (``accounts/captcha-sha256.js``, a few hundred thousand a second on a phone),
    so the check takes well under a second on a phone and a few tenths on a desktop."""
    return int(getattr(settings, "LUNTAN_CAPTCHA_MAX_NUMBER", 100_000))


class CaptchaWidget(AltchaWidget):
    """The human check as a slider-like bar (滑块验证, as on Discuz! pages): a click, or
    sending the form, solves the embedded challenge in a Web Worker with a plain-JS
    SHA-256 (``accounts/captcha.js``), so it also works on plain http away from localhost
    where browsers hide WebCrypto. The challenge is embedded in the page (no challenge
    URL, no third-party request); a failure or a search over 30 s shows a message and a
    retry instead of spinning."""

    template_name = "accounts/captcha_widget.html"
    input_type = "altcha"  # not "hidden": the form shows it with its label, in place

    def get_context(self, name, value, attrs):  # noqa: D102
        context = forms.Widget.get_context(self, name, value, attrs)
        challenge = get_altcha_challenge(max_number=max_number())
        context["challenge_json"] = json.dumps(
            {
                "algorithm": challenge.algorithm,
                "challenge": challenge.challenge,
                "salt": challenge.salt,
                "signature": challenge.signature,
                "maxnumber": challenge.max_number,
            }
        )
        context["strings_json"] = _strings()
        return context


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
    "CAPTCHA_EXEMPT_GROUPS",
    "CaptchaField",
    "CaptchaFormMixin",
    "CaptchaWidget",
    "captcha_enabled",
    "captcha_required_for",
    "login_needs_captcha",
    "max_number",
]
