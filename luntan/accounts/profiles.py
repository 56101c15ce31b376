"""Profile fields (个人资料) and their privacy: the one write and the reads for a viewer.

Fields (Discuz! ``common_member_profile``): gender, birthday, location (``residecity``
…), website (``site``), bio. Each has a privacy level (Discuz! ``privacy['profile']``:
0 公开, 1 好友可见, 3 仅自己可见; luntan has no friends, so 好友 becomes 仅会员可见):
``public`` anyone, ``members`` signed-in members, ``self`` the member (and the site's
administrators, who see everything in the admin anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from luntan.accounts.models import Profile, User

PRIVACY_VALUES = frozenset(Profile.Privacy.values)


def get_profile(user: User) -> Profile:
    """``user``'s :class:`Profile`, unsaved and empty when they have none (one query)."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


def update_profile(user: User, *, privacy: dict[str, str] | None = None, **fields: Any) -> Profile:
    """Set ``user``'s profile ``fields`` (any of :data:`Profile.FIELDS`: ``gender`` 0/1/2,
    ``birthday`` a ``date`` or ``None``, ``location`` ≤100 characters, ``website`` an
    http(s) URL or ``""``, ``bio`` ≤1,000 characters) and ``privacy`` (field name →
    ``"public"``/``"members"``/``"self"``; fields left out keep theirs). Creates the row
    when missing, in a transaction. Returns the profile. Raises ``ValidationError`` for
    an unknown field or privacy value, a website that is not http(s), or text over its
    length; nothing is written then."""
    unknown = set(fields) - set(Profile.FIELDS)
    if unknown:
        raise ValidationError(f"unknown profile fields: {sorted(unknown)}")
    website = fields.get("website")
    if website:
        URLValidator(
            schemes=["http", "https"], message=_("请输入以 http:// 或 https:// 开头的网址。")
        )(website)
    if "gender" in fields and fields["gender"] not in Profile.Gender.values:
        raise ValidationError(_("性别不正确。"), code="gender")
    birthday = fields.get("birthday")
    if birthday is not None and (not isinstance(birthday, date) or birthday > date.today()):
        raise ValidationError(_("生日不正确。"), code="birthday")
    for name, limit in (("location", 100), ("bio", 1000)):
        if len(fields.get(name) or "") > limit:
            raise ValidationError(
                _("%(field)s 最多 %(limit)d 个字符。") % {"field": name, "limit": limit}, code=name
            )
    for name, level in (privacy or {}).items():
        if name not in Profile.FIELDS or level not in PRIVACY_VALUES:
            raise ValidationError(_("隐私设置不正确。"), code="privacy")
    with transaction.atomic():
        profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
        for name, value in fields.items():
            setattr(profile, name, value if value is not None or name == "birthday" else "")
        if privacy:
            profile.privacy = {**(profile.privacy or {}), **privacy}
        profile.full_clean(exclude=["user"])
        profile.save()
    return profile


def may_see(level: str, owner_id: int, viewer: Any) -> bool:
    """Whether ``viewer`` (a ``User`` or ``AnonymousUser``) may see a field of member
    ``owner_id`` with privacy ``level``: ``public`` everyone; ``members`` signed-in
    members; ``self`` the member and superusers. An unknown level counts as ``self``."""
    if level == Profile.Privacy.PUBLIC:
        return True
    if not getattr(viewer, "is_authenticated", False):
        return False
    if level == Profile.Privacy.MEMBERS:
        return True
    return viewer.pk == owner_id or bool(getattr(viewer, "is_superuser", False))


@dataclass(frozen=True)
class ShownField:
    """One profile field as a viewer sees it: ``name``, ``label`` and ``html`` (safe)."""

    name: str
    label: str
    html: SafeString


def visible_fields(profile: Profile | None, owner_id: int, viewer: Any) -> list[ShownField]:
    """The filled fields of ``profile`` that ``viewer`` may see (:func:`may_see`), in
    :data:`Profile.FIELDS` order, rendered: the gender's name, the birthday as
    ``1990-5-17``, the website as a link with ``rel="nofollow ugc"``, text escaped (the
    bio keeps its line breaks). No query."""
    if profile is None:
        return []
    privacy = profile.privacy or {}
    shown: list[ShownField] = []
    for name in Profile.FIELDS:
        value = getattr(profile, name)
        if not value or not may_see(privacy.get(name, Profile.Privacy.PUBLIC), owner_id, viewer):
            continue
        label = str(getattr(Profile._meta.get_field(name), "verbose_name", name))
        if name == "gender":
            html = format_html("{}", Profile.Gender(value).label)
        elif name == "birthday":
            html = format_html("{}-{}-{}", value.year, value.month, value.day)
        elif name == "website":
            html = format_html('<a href="{}" rel="nofollow ugc">{}</a>', value, value)
        elif name == "bio":
            html = SafeString(format_html("{}", value).replace("\n", "<br>"))
        else:
            html = format_html("{}", value)
        shown.append(ShownField(name, label, SafeString(html)))
    return shown
