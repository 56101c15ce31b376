"""Two-factor sign-in policy for staff (re-exported by :mod:`luntan.permissions`).

Every member may add a second factor (an authenticator app, TOTP, or a passkey /
security key, WebAuthn; django-allauth's ``allauth.mfa``) from 设置 › 两步验证; once
added, allauth asks for it at every login. Staff — administrators, super moderators and
moderators, the people :func:`luntan.permissions.passes_site_closed` lets into a closed
site — are additionally bound by the site setting ``SiteSettings.require_staff_mfa``
(管理中心 › 全局 › 管理人员必须启用两步验证, off by default): while it is on, a staff member
without a second factor who opens the 管理中心 or a moderation page is sent to set one up
first (:class:`luntan.admincenter.middleware.StaffMFAMiddleware`).

Discuz! X3.4 has no second factor (only the 安全提问 question and the admin password of
``admin.php``); the policy follows Discourse's ``enforce_second_factor: staff``.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator

from luntan.core.models import get_site_settings
from luntan.permissions.admin import passes_site_closed
from luntan.permissions.viewer import ViewerLike, as_viewer

#: Authenticator types that count as a second factor (recovery codes alone do not).
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def is_mfa_staff(viewer: ViewerLike) -> bool:
    """True for the members the staff two-factor policy applies to: administrators
    (group 1, superusers), super moderators (2), moderators (3) and intern moderators
    (16), and any member who moderates a board (``Board.moderators``: 管理中心 › 论坛
    makes a member of any group a 版主 without changing the group). Reads the member's
    group, then (not staff by group) their moderated boards: at most one query, cached
    on the viewer."""
    if passes_site_closed(viewer):
        return True
    v = as_viewer(viewer)
    return v.is_authenticated and bool(v.moderated_board_ids)


def has_second_factor(viewer: ViewerLike) -> bool:
    """True when the signed-in member has an authenticator app (TOTP) or a passkey /
    security key (WebAuthn). One query; ``False`` for guests."""
    v = as_viewer(viewer)
    if not v.is_authenticated:
        return False
    return Authenticator.objects.filter(user_id=v.pk, type__in=SECOND_FACTOR_TYPES).exists()


def must_set_up_mfa(viewer: ViewerLike, *, required: bool | None = None) -> bool:
    """Must the viewer set up two-factor sign-in before entering staff pages?

    ``required``: the site setting ``require_staff_mfa`` (read from the cached site
    settings when ``None``). True only for staff (:func:`is_mfa_staff`) without a second
    factor (:func:`has_second_factor`) while the setting is on. No query unless the
    setting is on and the viewer is staff (then one)."""
    if required is None:
        required = get_site_settings().require_staff_mfa
    if not required or not is_mfa_staff(viewer):
        return False
    return not has_second_factor(viewer)
