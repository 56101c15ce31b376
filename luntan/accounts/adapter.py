"""django-allauth adapters: luntan's rules hooked into allauth's flows.

- user names: :mod:`luntan.accounts.usernames` (Discuz! rules + Unicode look-alikes);
- new members: :func:`luntan.accounts.services.register_member` picks the usergroup from
  the site's registration mode; a confirmed e-mail calls ``confirm_member``;
- the confirmation mail at sign-up goes out only in ``email`` mode;
- every mail is rendered here (request language) and sent by the ``send_mail_task``
  background task (django-tasks);
- social logins never connect to an existing account by e-mail; a new social member
  fills in the sign-up form (user name, e-mail) and linking an existing account is done
  from its settings after logging in with its password.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from luntan.accounts import mailcaps, screening, services, usernames
from luntan.accounts.tasks import send_mail_task
from luntan.core.models import SiteSettings, get_site_settings


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address Django saw (``REMOTE_ADDR``); ``None`` outside a request."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account adapter with luntan's user names, usergroups and mail queue."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": _("该用户名已被注册。"),
        "username_blacklisted": _("该用户名是保留名称，不能注册。"),
    }

    def clean_username(self, username: str, shallow: bool = False) -> str:
        """Discuz!-style rules, reserved names, and "taken" by NFKC/case/look-alike key."""
        username = super().clean_username(username, shallow=shallow)
        screening.check_name(username)  # 词语过滤 (ValidationError)
        if not shallow and usernames.is_taken(username):
            raise self.validation_error("username_taken")
        return username

    def save_user(self, request, user, form, commit: bool = True):
        """Build the member from the sign-up form, then :func:`services.register_member`
        (starting usergroup, registration IP) saves them."""
        user = super().save_user(request, user, form, commit=False)
        if commit:
            services.register_member(user, ip=client_ip(request))
        return user

    def should_send_confirmation_mail(self, request, email_address, signup: bool) -> bool:
        """At sign-up only in ``email`` mode; a member asking for a new link always."""
        if signup:
            return get_site_settings().registration_mode == SiteSettings.RegistrationMode.EMAIL
        return True

    def confirm_email(self, request, email_address) -> bool:
        """Mark the address verified; in ``email`` mode the member joins 新手上路."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            services.confirm_member(email_address.user)
        return confirmed

    def format_email_subject(self, subject: str) -> str:
        """``[站点名称] subject``."""
        return f"[{get_site_settings().site_name}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the mail now (the request's language) and queue it for the worker.

        Mail over the hourly/daily caps per address and per IP
        (:mod:`luntan.accounts.mailcaps`) is dropped silently: the page answers the same.
        """
        self._queue_mail(template_prefix, email, context, deliver=True)

    def send_mail_to_nobody(
        self, template_prefix: str, email: str, context: dict[str, Any]
    ) -> None:
        """Do exactly the work of :meth:`send_mail` — count the caps, render the mail, queue
        a task — but queue it with no recipient, so nothing is sent. Used for an address
        that has no account, so that the answer takes as long as for one that has
        (no timing tells whether an account exists; the task sends nothing)."""
        self._queue_mail(template_prefix, email, context, deliver=False)

    def _queue_mail(
        self, template_prefix: str, email: str, context: dict[str, Any], *, deliver: bool
    ) -> None:
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        if not mailcaps.allow_mail(email, client_ip(request)):
            return
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "site": get_site_settings(),
        }
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html_body = None
        for content, mimetype in getattr(message, "alternatives", ()):
            if mimetype == "text/html":
                html_body = content
        send_mail_task.enqueue(
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            to=list(message.to) if deliver else [],
            html_body=html_body,
            headers=dict(message.extra_headers) or None,
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Third-party logins (QQ, WeChat, Weibo, OpenID Connect).

    A new social login is never attached to an existing account by a matching e-mail
    (``SOCIALACCOUNT_EMAIL_AUTHENTICATION = False``); the person either signs up (the
    social sign-up form, which runs the same user-name rules) or logs in with the
    account's password and connects the provider from the account settings page.
    """

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:  # noqa: D102
        return False

    def save_user(self, request, sociallogin, form=None):
        """Create the member; with the sign-up form the account adapter's ``save_user``
        runs :func:`services.register_member`, without one it is called here."""
        user = super().save_user(request, sociallogin, form=form)
        if form is None:
            services.register_member(user, ip=client_ip(request))
        return user

    def populate_user(self, request, sociallogin, data):
        """Offer the provider's nickname as user name only when it obeys the rules."""
        user = super().populate_user(request, sociallogin, data)
        try:
            usernames.validate_username(user.username or "")
        except forms.ValidationError:
            user.username = ""
        return user


class MFAAdapter(DefaultMFAAdapter):
    """allauth's two-factor adapter: the authenticator app shows the site name (站点名称)
    as the issuer and the member's user name as the account, and a passkey is registered
    to the site name."""

    def get_totp_label(self, user) -> str:
        """The account name an authenticator app lists: the user name (e.g. 张三)."""
        return str(getattr(user, "username", "") or user)

    def get_totp_issuer(self) -> str:
        """The issuer of the TOTP key: the site name of the site settings."""
        return get_site_settings().site_name or "luntan"

    def _get_site_name(self) -> str:
        return get_site_settings().site_name or "luntan"
