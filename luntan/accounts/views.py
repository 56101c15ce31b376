"""The account settings page and allauth's sign-up views saved in one transaction (the
public profile is :mod:`luntan.members.views`).

Log in, sign up, log out, password reset and e-mail confirmation are django-allauth's
views (``luntan/accounts/urls.py``) rendered with this app's templates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.views import SignupView as AllauthSignupView
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.views import SignupView as AllauthSocialSignupView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from luntan.accounts import avatars, mfa, profiles, services, tokens
from luntan.accounts.forms import AccessTokenForm, ProfileForm, SignatureForm, TimeZoneForm
from luntan.accounts.http import MemberRequest
from luntan.accounts.models import User
from luntan.accounts.settings_sections import settings_sections
from luntan.core.parsing import parse_id


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: MemberRequest) -> HttpResponse:
    """设置: the member's avatar (uploaded to ``members:avatar``), signature (POST
    ``action=signature``: :func:`services.set_signature`), profile fields with their
    privacy (``action=profile``: :func:`profiles.update_profile`), time zone (POST
    saves it through :func:`services.set_time_zone`),
    links to change the password and e-mail and to connect third-party logins, and the
    personal access tokens of the JSON API (POST ``action=create_token`` /
    ``revoke_token``, :mod:`luntan.accounts.tokens`). A new token's secret is shown on
    the answer to its creation only (not stored, not cached: ``no-store``). Other apps'
    sections (:mod:`luntan.accounts.settings_sections`: 提醒设置) follow the profile; a
    POST whose ``action`` is a section's anchor goes to that section."""
    action = request.POST.get("action") if request.method == "POST" else None
    form = TimeZoneForm(
        request.POST if action is None and request.method == "POST" else None,
        initial={"time_zone": request.user.time_zone},
    )
    token_form = AccessTokenForm(request.POST if action == "create_token" else None)
    profile = profiles.get_profile(request.user)
    signature_form = SignatureForm(
        request.POST if action == "signature" else None,
        initial={"signature": request.user.signature},
    )
    profile_form = ProfileForm(
        request.POST if action == "profile" else None, initial=ProfileForm.initial_for(profile)
    )
    new_secret = None
    sections = []
    for section in settings_sections():  # 提醒设置 and other apps' parts of the page
        html = section.handle(request, action == section.anchor)
        if html is None:
            return redirect(reverse("accounts:settings") + f"#{section.anchor}")
        sections.append({"anchor": section.anchor, "title": section.title, "html": html})
    if action == "signature" and signature_form.is_valid():
        try:
            services.set_signature(request.user, signature_form.cleaned_data["signature"])
        except ValidationError as exc:
            signature_form.add_error("signature", exc)
        else:
            messages.success(request, _("签名已保存。"))
            return redirect(reverse("accounts:settings") + "#signature")
    elif action == "profile" and profile_form.is_valid():
        fields, privacy = profile_form.values()
        try:
            profiles.update_profile(request.user, privacy=privacy, **fields)
        except ValidationError as exc:
            profile_form.add_error(None, exc)
        else:
            messages.success(request, _("个人资料已保存。"))
            return redirect(reverse("accounts:settings") + "#profile")
    elif action == "create_token" and token_form.is_valid():
        try:
            token, new_secret = tokens.create_token(
                request.user,
                name=token_form.cleaned_data["name"],
                scopes=token_form.cleaned_data["scopes"],
            )
        except ValidationError as exc:
            token_form.add_error(None, exc)
        else:
            token_form = AccessTokenForm()
    elif action == "revoke_token":
        token_id = parse_id(request.POST.get("token"))
        if token_id is not None and tokens.revoke_token(request.user, token_id):
            messages.success(request, _("令牌已撤销。"))
        return redirect("accounts:settings")
    elif request.method == "POST" and action is None and form.is_valid():
        services.set_time_zone(request.user, form.cleaned_data["time_zone"])
        messages.success(request, _("设置已保存。"))
        return redirect("accounts:settings")
    social = SocialAccount.objects.filter(user=request.user).order_by("provider")
    response = render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "social_accounts": social,
            "second_factors": mfa.second_factor_count(request.user),
            "token_form": token_form,
            "access_tokens": tokens.live_tokens(request.user),
            "new_secret": new_secret,
            "signature_form": signature_form,
            "profile_form": profile_form,
            "avatar_small": avatars.avatar_url(request.user, "small"),
            "avatar_big": avatars.avatar_url(request.user, "big"),
            "max_sig_size": request.user.group.max_sig_size,
            "sections": sections,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def default_avatar(request, uid: str, size: str) -> HttpResponse:
    """The generated avatar (``image/svg+xml``) of member ``uid`` in ``size``
    (:func:`luntan.accounts.avatars.default_avatar_svg`): the first character of their
    name on their colour; ``?`` for an unknown uid or uid 0 (guests). One query; cached
    by browsers for a day (the name may change)."""
    name = User.objects.filter(pk=int(uid)).values_list("username", flat=True).first() or ""
    svg = avatars.default_avatar_svg(int(uid), name, size)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def stored_avatar(request, path: str) -> FileResponse:
    """An uploaded avatar file from ``default_storage`` when the storage is the local disk
    (``/media/avatars/…_<version>_<size>.jpg``; the URL pattern admits nothing else). The
    name carries a content version, so the answer is cached for a year. 404 when the
    file is gone."""
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


if TYPE_CHECKING:
    from django.views.generic.edit import FormView

    _SignupBase = FormView  # both allauth sign-up views are form views
else:
    _SignupBase = object


class _OneTransactionSignup(_SignupBase):
    """Mixin for allauth's sign-up views: the member and their e-mail address are saved in
    one transaction; a sign-up that loses a race for its name (``services.UsernameTaken``)
    writes nothing and shows the form again with the username error."""

    def form_valid(self, form):  # noqa: D102 - see the class docstring
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except services.UsernameTaken as exc:
            form.add_error("username", exc)
            return self.form_invalid(form)


class SignupView(_OneTransactionSignup, AllauthSignupView):
    """allauth's sign-up (马上注册), saved in one transaction (:class:`_OneTransactionSignup`)."""


signup = SignupView.as_view()


class SocialSignupView(_OneTransactionSignup, AllauthSocialSignupView):
    """allauth's third-party sign-up form (a new QQ/WeChat … member picks a name), saved in
    one transaction (:class:`_OneTransactionSignup`)."""


social_signup = SocialSignupView.as_view()
