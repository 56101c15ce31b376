"""Account use cases: every write to a member's usergroup or settings happens here.

Registration follows the site setting ``registration_mode`` (Discuz! ``regverify``):

========  ==============================  ======================================
mode      right after sign-up             moved to 新手上路 (group 10) by
========  ==============================  ======================================
none      新手上路                          —
email     等待验证会员 (group 8)            :func:`confirm_member` (the mail link)
manual    等待验证会员 (group 8)            :func:`approve_member` (admin 批准注册)
========  ==============================  ======================================

In ``manual`` mode an administrator may instead refuse a registration with a reason
(:func:`reject_member`); the member stays in group 8 and is told the reason.

Members in group 8 may log in and read but not post (``luntan.permissions.posting_refusal``).
The allauth adapter and signal handlers (``luntan.accounts.adapter``/``signals``) and the
admin call these functions; nothing else writes ``User.group``.
"""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from luntan import markup
from luntan.accounts import hooks, screening
from luntan.accounts.models import User, UserGroup
from luntan.core.models import SiteSettings, get_site_settings


def group_after_registration(mode: str | None = None) -> int:
    """The usergroup id a new member starts in under registration ``mode``
    (default: the site's current setting)."""
    mode = mode or get_site_settings().registration_mode
    if mode == SiteSettings.RegistrationMode.NONE:
        return UserGroup.NEWBIE
    return UserGroup.AWAITING_VERIFICATION


class UsernameTaken(ValidationError):
    """Another member got a name with the same key first (a sign-up race lost at the
    database's unique ``username_key``); shown as the username field's error."""

    def __init__(self) -> None:
        super().__init__(_("该用户名已被注册。"), code="username_taken")


def register_member(user: User, *, ip: str | None = None, mode: str | None = None) -> User:
    """Finish a new member's registration: starting usergroup and registration IP.

    ``user`` is an unsaved or just-saved ``User`` built by the sign-up form (allauth's
    ``save_user``); it is saved here, in a savepoint. Returns the member. Raises
    :class:`UsernameTaken` when a member with the same name key was saved since the form
    checked it (the unique ``User.username_key``); nothing is written then.
    """
    user.group_id = group_after_registration(mode)
    if ip:
        user.register_ip = ip
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        taken = User.objects.filter(username_key=user.username_key)
        if user.pk is not None:
            taken = taken.exclude(pk=user.pk)
        if taken.exists():
            raise UsernameTaken() from exc
        raise
    hooks.member_registered(user)
    return user


def _promote_waiting(user: User) -> bool:
    """Move ``user`` from 等待验证会员 to 新手上路; True when they moved."""
    updated = User.objects.filter(pk=user.pk, group_id=UserGroup.AWAITING_VERIFICATION).update(
        group_id=UserGroup.NEWBIE
    )
    if updated:
        user.group_id = UserGroup.NEWBIE
    return bool(updated)


def confirm_member(user: User) -> bool:
    """A member confirmed their e-mail address: in ``email`` mode they leave 等待验证会员
    for 新手上路. In ``manual`` mode they wait for an administrator. Returns True when
    the usergroup changed."""
    if get_site_settings().registration_mode != SiteSettings.RegistrationMode.EMAIL:
        return False
    with transaction.atomic():
        return _promote_waiting(user)


def approve_member(user: User) -> bool:
    """An administrator approved a waiting member (批准注册): 新手上路 from any mode; an
    earlier refusal (:class:`~luntan.accounts.models.RegistrationReview`) is dropped.
    Returns True when the usergroup changed (False if they were not waiting)."""
    from luntan.accounts.models import RegistrationReview

    with transaction.atomic():
        moved = _promote_waiting(user)
        if moved:
            RegistrationReview.objects.filter(user_id=user.pk).delete()
        return moved


def reject_member(user: User, reason: str, *, reviewer_name: str = "", now=None) -> bool:
    """An administrator refused a waiting member's registration (Discuz! 审核新用户 ›
    否决) with ``reason`` (shown to them when they try to post; up to 255 characters):
    they stay in 等待验证会员 and leave the approval queue. Returns False when they are
    not waiting (nothing written). Raises ``ValidationError`` (code ``reason``) for an
    empty reason."""
    from django.utils import timezone

    from luntan.accounts.models import RegistrationReview

    reason = " ".join((reason or "").split())[:255]
    if not reason:
        raise ValidationError(_("请填写拒绝的理由。"), code="reason")
    with transaction.atomic():
        if not User.objects.filter(pk=user.pk, group_id=UserGroup.AWAITING_VERIFICATION).exists():
            return False
        RegistrationReview.objects.update_or_create(
            user_id=user.pk,
            defaults={
                "reason": reason,
                "reviewer_name": reviewer_name[:15],
                "reviewed_at": now or timezone.now(),
            },
        )
    return True


def approve_members(users) -> int:
    """Approve every waiting member in the queryset ``users``; return how many moved."""
    return users.filter(group_id=UserGroup.AWAITING_VERIFICATION).update(group_id=UserGroup.NEWBIE)


def set_signature(user: User, text: str) -> str:
    """Store the member's signature (签名) and its HTML; return the text stored.

    Checks, in order (nothing is written when one fails):

    1. the markup caps (``LUNTAN_MARKUP_MAX_BYTES["signature"]``, 4,096 bytes by
       default, checked before anything is parsed; images, smilies):
       :class:`luntan.markup.MarkupLimitError` (a ``ValidationError``);
    2. the member's usergroup (Discuz! ``common_usergroup_field``): ``max_sig_size`` 0
       (code ``sig_forbidden``), more characters than ``max_sig_size`` (``sig_length``),
       ``[img]`` without ``allow_sig_images`` (``sig_image``);
    3. the registered signature screens (the censor words, 词语过滤: replacements made;
       a 禁止/审核 word raises ``ValidationError``).

    The HTML is rendered now (Discuz! stores ``sightml`` the same way): BBCode when the
    group has ``allow_sig_bbcode``, else the text escaped with its line breaks. An empty
    ``text`` clears the signature (always allowed).
    """
    from luntan.accounts import signatures

    text = (text or "").strip()
    markup.check_input(text, "bbcode", "signature")
    group = user.group
    signatures.check_group_limits(group, text)
    stored = screening.screen_signature(text) if text else ""
    with transaction.atomic():
        user.signature = stored
        user.signature_html = signatures.render_signature(stored, group)
        user.save(update_fields=["signature", "signature_html"])
    return user.signature


def set_time_zone(user: User, time_zone: str) -> None:
    """Store the member's time zone (an IANA name such as ``Asia/Shanghai``; empty for the
    site default). Raises ``ValueError`` for a name the system's zone database lacks."""
    if time_zone and time_zone not in zoneinfo.available_timezones():
        raise ValueError(f"unknown time zone {time_zone!r}")
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
