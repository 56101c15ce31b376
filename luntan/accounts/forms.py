"""Account forms: sign-up (马上注册) with the human check, log in, account settings."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from functools import lru_cache

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.internal.flows import password_reset
from allauth.account.models import EmailAddress
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luntan.accounts.adapter import client_ip
from luntan.accounts.captcha import (
    FIELD_NAME,
    CaptchaField,
    captcha_required_for,
    login_needs_captcha,
)
from luntan.accounts.models import User
from luntan.core.models import site_time_zone


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form with Discuz!'s labels and the captcha for guests.

    Fields: ``username`` (3–15 characters, see :mod:`luntan.accounts.usernames`),
    ``email``, ``password1``, ``password2`` and ``captcha`` (when the captcha is on).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("用户名")
        username.help_text = _(
            "3–15 个字符（汉字算两个起算），可用中文、字母、数字、下划线、点和减号"
        )
        username.widget.attrs.update({"placeholder": "", "minlength": "2", "autofocus": True})
        self.fields["email"].label = _("Email")
        self.fields["email"].widget.attrs["placeholder"] = ""
        self.fields["password1"].label = _("密码")
        self.fields["password1"].widget.attrs["placeholder"] = ""
        self.fields["password2"].label = _("确认密码")
        self.fields["password2"].widget.attrs["placeholder"] = ""
        if captcha_required_for(None):
            self.fields[FIELD_NAME] = CaptchaField()


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """找回密码: allauth's form, which sends nothing to an address without an account
    (``ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False``); here such an address costs the same work
    as a known one (:meth:`luntan.accounts.adapter.AccountAdapter.send_mail_to_nobody`:
    caps counted, the reset mail rendered and queued without a recipient), so the answer's
    timing does not tell whether an account exists."""

    def save(self, request, **kwargs) -> str:  # noqa: D102 - see the class docstring
        email = self.cleaned_data["email"]
        if self.users:  # allauth's own flow (what its form's save does): the real mail
            token_generator = kwargs.get("token_generator", default_token_generator)
            password_reset.request_password_reset(request, email, self.users, token_generator)
            return email
        # The known path's per-account lookups, against an account id that cannot exist:
        # allauth's token generator first checks the member's address row (the ``exists``
        # below; it is skipped inside for an empty address), then reads the member's
        # addresses into the token's hash. Same queries, same hashing, nothing found.
        token_generator = kwargs.get("token_generator", default_token_generator)
        EmailAddress.objects.filter(user_id=0, email=email.lower()).exists()
        stand_in = User(pk=0, username="x" * 8, email="")
        stand_in.set_unusable_password()
        key = token_generator.make_token(stand_in)
        stand_in.email = email
        get_adapter(request).send_mail_to_nobody(
            "account/email/password_reset_key",
            email,
            {
                "user": stand_in,
                "password_reset_url": request.build_absolute_uri(
                    reverse(
                        "account_reset_password_from_key",
                        kwargs={"uidb36": "0", "key": key},
                    )
                ),
                "uid": "0",
                "key": key,
                "request": request,
                "username": "",
            },
        )
        return email


class LoginForm(allauth_forms.LoginForm):
    """allauth's login form (user name or e-mail, password, 记住我) with our labels, and
    the captcha once the visitor's IP has failed to log in a few times
    (:func:`luntan.accounts.captcha.login_needs_captcha`); an unsolved captcha is a form
    error and the password is then not checked."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("用户名/Email")
        self.fields["login"].widget.attrs.update({"placeholder": "", "autocomplete": "username"})
        self.fields["password"].label = _("密码")
        self.fields["password"].widget.attrs["placeholder"] = ""
        self.fields["password"].help_text = ""  # the page has its own 找回密码 link
        if "remember" in self.fields:
            self.fields["remember"].label = _("自动登录")
        if login_needs_captcha(client_ip(self.request)):
            self.fields[FIELD_NAME] = CaptchaField()

    def clean(self):
        """allauth's check of the password; when that failure is the one that makes the
        captcha necessary, the form shown again already carries it."""
        try:
            return super().clean()
        except forms.ValidationError:
            if FIELD_NAME not in self.fields and login_needs_captcha(client_ip(self.request)):
                self.fields[FIELD_NAME] = CaptchaField()
            raise


@lru_cache(maxsize=1)
def _time_zone_names() -> tuple[str, ...]:
    """The IANA zone names offered (``Area/City``, no ``Etc/``), sorted; cached."""
    return tuple(
        sorted(n for n in zoneinfo.available_timezones() if "/" in n and not n.startswith("Etc/"))
    )


def gmt_offset(zone: zoneinfo.ZoneInfo, at: datetime | None = None) -> str:
    """``zone``'s offset from UTC at ``at`` (default now) as ``GMT+8``, ``GMT-3:30`` or
    ``GMT`` (no offset)."""
    offset = (at or timezone.now()).astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    if not minutes:
        return "GMT"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    hours, rest = divmod(minutes, 60)
    return f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "")


def time_zone_choices() -> list[tuple[str, str]]:
    """``[("", "站点默认（Asia/Shanghai，GMT+8）"), ("Africa/Abidjan", "Africa/Abidjan"), …]``:
    the site default (:func:`luntan.core.models.site_time_zone`, so the ``TIME_ZONE``
    setting unless the admin chose one), labelled in the active language, then the IANA
    zones, sorted."""
    zone = site_time_zone()
    label = _("站点默认（%(zone)s，%(offset)s）") % {"zone": zone.key, "offset": gmt_offset(zone)}
    return [("", str(label)), *((n, n) for n in _time_zone_names())]


class TimeZoneForm(forms.Form):
    """The member's time zone (时区); empty is the site default."""

    time_zone = forms.ChoiceField(label=_("时区"), required=False, choices=())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)  # declared above
        field.choices = time_zone_choices()


class AccessTokenForm(forms.Form):
    """A new personal access token for the JSON API: a name and the scopes beyond
    ``read`` (``write``: post, reply, edit, delete; ``moderate``: act on others' posts as
    the boards' moderator)."""

    name = forms.CharField(label=_("令牌名称"), max_length=50)
    scopes = forms.MultipleChoiceField(
        label=_("权限范围"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scopes"]
        assert isinstance(field, forms.MultipleChoiceField)  # declared above
        field.choices = [
            ("write", _("发帖（发主题、回复、编辑、删除）")),
            ("moderate", _("管理（以版主身份处理他人的帖子）")),
        ]


class SignatureForm(forms.Form):
    """The member's signature (签名), BBCode; the limits of their usergroup are checked by
    :func:`luntan.accounts.services.set_signature`."""

    signature = forms.CharField(
        label=_("个人签名"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4096}),
    )


_PRIVACY_CHOICES = [
    ("public", _("公开")),
    ("members", _("仅会员可见")),
    ("self", _("仅自己可见")),
]


class ProfileForm(forms.Form):
    """个人资料: gender, birthday, location, website, bio, each with a privacy choice
    (``<field>_privacy``). Saved by :func:`luntan.accounts.profiles.update_profile`."""

    gender = forms.TypedChoiceField(
        label=_("性别"),
        coerce=int,
        choices=[(0, _("保密")), (1, _("男")), (2, _("女"))],
        required=False,
        empty_value=None,
    )
    gender_privacy = forms.ChoiceField(label=_("谁能看到"), choices=_PRIVACY_CHOICES)
    birthday = forms.DateField(
        label=_("生日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    birthday_privacy = forms.ChoiceField(label=_("谁能看到"), choices=_PRIVACY_CHOICES)
    location = forms.CharField(label=_("居住地"), max_length=100, required=False)
    location_privacy = forms.ChoiceField(label=_("谁能看到"), choices=_PRIVACY_CHOICES)
    website = forms.URLField(
        label=_("个人主页"), max_length=255, required=False, assume_scheme="https"
    )
    website_privacy = forms.ChoiceField(label=_("谁能看到"), choices=_PRIVACY_CHOICES)
    bio = forms.CharField(
        label=_("自我介绍"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bio_privacy = forms.ChoiceField(label=_("谁能看到"), choices=_PRIVACY_CHOICES)

    FIELDS = ("gender", "birthday", "location", "website", "bio")

    @classmethod
    def initial_for(cls, profile) -> dict:
        """The form's initial values from a :class:`~luntan.accounts.models.Profile`."""
        privacy = profile.privacy or {}
        initial = {name: getattr(profile, name) for name in cls.FIELDS}
        initial.update({f"{name}_privacy": privacy.get(name, "public") for name in cls.FIELDS})
        return initial

    def values(self) -> tuple[dict, dict]:
        """``(fields, privacy)`` for ``update_profile`` from the cleaned data."""
        data = self.cleaned_data
        fields = {name: data.get(name) for name in self.FIELDS}
        for name in ("location", "website", "bio"):
            fields[name] = fields[name] or ""
        fields["gender"] = fields["gender"] or 0
        privacy = {name: data[f"{name}_privacy"] for name in self.FIELDS}
        return fields, privacy
