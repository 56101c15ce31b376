"""Personal access tokens (个人访问令牌) for the JSON API: every write to
:class:`~luntan.accounts.models.AccessToken`, and the lookup of a presented secret.

A secret is ``lt_`` + 40 URL-safe random characters (``secrets.token_urlsafe(30)``, 240
bits); only its SHA-256 hex digest is stored, so a leaked database gives no usable token
(a slow hash is not needed for a secret of that entropy, and the lookup stays one indexed
query). Members create and revoke tokens on the settings page (``/accounts/settings/``);
the secret is shown once. A member has at most :data:`MAX_TOKENS` live tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.accounts.models import AccessToken, User

PREFIX = "lt_"
MAX_TOKENS = 20
NAME_MAX_LENGTH = 50
#: ``last_used_at`` is written at most this often per token (one UPDATE a minute).
TOUCH_INTERVAL = timedelta(minutes=1)


def digest_of(secret: str) -> str:
    """The stored form of ``secret``: SHA-256, 64 hex characters."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def clean_scopes(scopes) -> list[str]:
    """``scopes`` (names) in canonical order; ``read`` is always included. Raises
    ``ValidationError`` (code ``scopes``) for an unknown name."""
    wanted = set(scopes) | {"read"}
    unknown = wanted - set(AccessToken.SCOPES)
    if unknown:
        raise ValidationError(_("未知的权限范围。"), code="scopes")
    return [s for s in AccessToken.SCOPES if s in wanted]


def create_token(
    user: User, *, name: str, scopes, now: datetime | None = None
) -> tuple[AccessToken, str]:
    """Create a token of ``user`` named ``name`` (1–50 characters) with ``scopes``
    (``read`` always; ``write``, ``moderate``). Returns ``(token, secret)``: the secret is
    not stored and can't be shown again. Raises ``ValidationError`` (codes ``name``,
    ``scopes``, ``too_many``)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("请填写令牌名称。"), code="name")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("令牌名称不能超过 %(n)d 个字符。") % {"n": NAME_MAX_LENGTH}, code="name"
        )
    scope_list = clean_scopes(scopes)
    now = now or timezone.now()
    secret = PREFIX + secrets.token_urlsafe(30)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        live = AccessToken.objects.filter(user=locked, revoked_at=None).count()
        if live >= MAX_TOKENS:
            raise ValidationError(
                _("每位会员最多 %(n)d 个有效令牌，请先撤销不用的令牌。") % {"n": MAX_TOKENS},
                code="too_many",
            )
        token = AccessToken.objects.create(
            user=locked,
            name=name,
            prefix=secret[:10],
            digest=digest_of(secret),
            scopes=" ".join(scope_list),
            created=now,
        )
    return token, secret


def revoke_token(user: User, token_id: int, *, now: datetime | None = None) -> bool:
    """Revoke ``user``'s live token ``token_id``; False when there is none (another
    member's token, or already revoked). Takes effect on the next request."""
    with transaction.atomic():
        done = AccessToken.objects.filter(pk=token_id, user=user, revoked_at=None).update(
            revoked_at=now or timezone.now()
        )
    return bool(done)


def find_token(secret: str) -> AccessToken | None:
    """The live token whose secret is ``secret``, with its member and group (one query),
    or ``None``. Secrets not shaped like ours are refused without a query."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    return (
        AccessToken.objects.select_related("user", "user__group")
        .filter(digest=digest_of(secret), revoked_at=None)
        .first()
    )


def touch_token(token: AccessToken, *, now: datetime | None = None) -> None:
    """Record that ``token`` was used now, at most once per :data:`TOUCH_INTERVAL`."""
    now = now or timezone.now()
    if token.last_used_at and now - token.last_used_at < TOUCH_INTERVAL:
        return
    with transaction.atomic():
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def live_tokens(user: User) -> list[AccessToken]:
    """``user``'s live tokens, newest first (the settings page's list)."""
    return list(AccessToken.objects.filter(user=user, revoked_at=None).order_by("-created", "-id"))
