"""The site's mail backend: SMTP settings from 管理中心 › 全局 (:class:`MailSettings`),
else the environment's.

``EMAIL_BACKEND`` is :class:`SiteEmailBackend` unless the environment names another. Each
connection reads the one :class:`~luntan.core.models.MailSettings` row (one query; mail
is sent by the task worker, rarely): with a host set it sends through Django's SMTP
backend with that host, port, user, password and STARTTLS/SSL, and puts the configured
发件人 on messages that carry the default ``DEFAULT_FROM_EMAIL``; without one it hands
the messages to ``LUNTAN_ENV_EMAIL_BACKEND`` (SMTP when ``EMAIL_HOST`` is set, else the
console), as before.

The SMTP password is stored encrypted (Fernet, from the ``cryptography`` package) with a
key derived from ``SECRET_KEY``: a copy of the database alone does not give it away. A
changed ``SECRET_KEY`` makes it unreadable; then it is treated as empty and has to be
typed again.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from luntan.core.models import MailSettings


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"luntan-mail-password:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_password(password: str) -> str:
    """``password`` encrypted for :attr:`MailSettings.password_encrypted` ("" for "")."""
    return _fernet().encrypt(password.encode()).decode() if password else ""


def decrypt_password(token: str) -> str:
    """The SMTP password from its stored form; "" when none is stored or it cannot be
    read (``SECRET_KEY`` changed)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return ""


def get_mail_settings() -> MailSettings:
    """The mail settings row (unsaved defaults when there is none yet)."""
    return MailSettings.objects.filter(pk=1).first() or MailSettings(pk=1)


def smtp_connection(found: MailSettings, **kwargs: Any) -> BaseEmailBackend:
    """A Django SMTP connection for the settings ``found`` (``host`` must be set)."""
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=found.host,
        port=found.port,
        username=found.username,
        password=decrypt_password(found.password_encrypted),
        use_tls=found.security == MailSettings.Security.STARTTLS,
        use_ssl=found.security == MailSettings.Security.SSL,
        timeout=getattr(settings, "EMAIL_TIMEOUT", None),
        **kwargs,
    )


class SiteEmailBackend(BaseEmailBackend):
    """Sends through the 管理中心's SMTP settings, else the environment's backend (see
    the module docstring)."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)
        self.found = get_mail_settings()
        if self.found.host:
            self.inner = smtp_connection(self.found, fail_silently=fail_silently)
        else:
            self.inner = get_connection(
                settings.LUNTAN_ENV_EMAIL_BACKEND, fail_silently=fail_silently, **kwargs
            )

    def open(self):  # noqa: D102 - delegated
        return self.inner.open()

    def close(self) -> None:  # noqa: D102 - delegated
        self.inner.close()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Send through the chosen backend; with a configured 发件人, messages from the
        default ``DEFAULT_FROM_EMAIL`` go out from it instead."""
        sender = self.found.from_address if self.found.host else ""
        if sender:
            for message in email_messages:
                if message.from_email in ("", None, settings.DEFAULT_FROM_EMAIL):
                    message.from_email = sender
        return self.inner.send_messages(email_messages) or 0
