"""Members and usergroups (用户组).

The default usergroups keep Discuz! X3.4's group ids (``common_usergroup.groupid`` 1–15 in
``install_data.sql``) so an imported member keeps their group without a mapping table.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from luntan.accounts.groups import GroupId


class UserGroup(models.Model):
    """A usergroup (用户组).

    ``kind`` follows Discuz!'s ``common_usergroup.type``: ``system`` (管理员 … 等待验证会员),
    ``special`` (custom groups an admin hands out) and ``member`` (groups a member moves
    through by total credits, between ``credits_lower`` inclusive and ``credits_higher``
    exclusive).
    """

    class Kind(models.TextChoices):
        SYSTEM = "system", _("系统用户组")
        SPECIAL = "special", _("特殊用户组")
        MEMBER = "member", _("会员用户组")

    # Discuz! X3.4 default group ids, kept as primary keys (:mod:`luntan.accounts.groups`).
    ADMIN = GroupId.ADMIN
    SUPER_MODERATOR = GroupId.SUPER_MODERATOR
    MODERATOR = GroupId.MODERATOR
    BANNED_POSTING = GroupId.BANNED_POSTING
    BANNED_VISITING = GroupId.BANNED_VISITING
    BANNED_IP = GroupId.BANNED_IP
    GUEST = GroupId.GUEST
    AWAITING_VERIFICATION = GroupId.AWAITING_VERIFICATION
    LIMITED = GroupId.LIMITED
    NEWBIE = GroupId.NEWBIE

    name = models.CharField(_("名称"), max_length=30)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    credits_lower = models.IntegerField(_("积分下限"), default=0)
    credits_higher = models.IntegerField(_("积分上限"), default=0)
    stars = models.PositiveSmallIntegerField(_("星级"), default=0)
    color = models.CharField(_("颜色"), max_length=7, blank=True)
    # Per-group rights (Discuz! ``common_usergroup.allowvisit`` and
    # ``common_usergroup_field``); boards may override some of them per group
    # (``Board.*_groups``). Read them through ``luntan.permissions`` only.
    allow_visit = models.BooleanField(_("允许访问"), default=True)
    read_access = models.PositiveSmallIntegerField(
        _("阅读权限"), default=10, help_text=_("0 表示不能阅读主题（版块单独允许的除外）。")
    )
    allow_post = models.BooleanField(_("允许发新话题"), default=True)
    allow_reply = models.BooleanField(_("允许发表回复"), default=True)
    allow_download = models.BooleanField(_("允许下载附件"), default=True)
    allow_upload = models.BooleanField(_("允许上传附件"), default=True)
    allow_post_image = models.BooleanField(_("允许发布图片"), default=True)
    allow_hide_code = models.BooleanField(_("允许使用 [hide] 代码"), default=False)
    allow_html = models.BooleanField(_("允许使用 HTML 代码"), default=False)
    allow_post_poll = models.BooleanField(_("允许发起投票"), default=True)
    allow_vote = models.BooleanField(_("允许参与投票"), default=True)
    # Signatures (签名): Discuz! ``common_usergroup_field.maxsigsize`` (characters of the
    # signature's source; 0: no signature at all), ``allowsigbbcode`` and
    # ``allowsigimgcode``. Read them through ``luntan.accounts.signatures``.
    max_sig_size = models.PositiveSmallIntegerField(
        _("签名最大长度"), default=100, help_text=_("字符数；0 表示不允许使用签名。")
    )
    allow_sig_bbcode = models.BooleanField(_("签名允许使用 BBCode"), default=True)
    allow_sig_images = models.BooleanField(_("签名允许使用 [img] 代码"), default=False)
    # Discuz! ``common_usergroup.icon``: an image shown beside the group's name (a URL or a
    # path under the static files; empty: none).
    icon = models.CharField(_("组图标"), max_length=255, blank=True)
    # Discuz! ``common_usergroup.allowsendpm`` and ``common_usergroup_field.
    # allowsendpmmaxnum`` (24 小时内允许发送短消息的最大数量, 0 = no limit).
    allow_send_pm = models.BooleanField(_("允许发送短消息"), default=True)
    max_pms_per_day = models.PositiveIntegerField(
        _("24 小时内最多发送短消息数"), default=0, help_text=_("0 表示不限制。")
    )

    # Moderation rights this group lacks (Discuz! ``common_admingroup`` columns that are
    # 0 for the group), by the names in ``luntan.permissions.moderation.MODERATION_RIGHTS``;
    # empty: every right luntan has (管理员 always has them all). Read only through
    # ``luntan.permissions``.
    moderation_denied = models.JSONField(
        _("不允许的管理权限"), default=list, blank=True, help_text=_("留空表示拥有全部管理权限。")
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("用户组")
        verbose_name_plural = _("用户组")

    def __str__(self) -> str:
        return self.name


username_validator = RegexValidator(
    # Letters of any script, digits, _ . - ; no spaces, controls or punctuation tricks.
    regex=r"^[\w.\-]+\Z",
    message=_("用户名只能包含文字、数字、下划线、点和减号。"),
)


class User(AbstractUser):
    """A member (会员).

    ``username`` is at most 15 characters as in Discuz! (``common_member.username``
    char(15)), CJK allowed. ``credits`` is the total by the site's credit formula;
    ``posts``/``threads`` are stored counters rebuilt by ``luntan rebuild_counters``.
    ``time_zone`` is an IANA name; empty means the site default (GMT+8 unless configured).
    """

    username = models.CharField(
        _("用户名"),
        max_length=15,
        unique=True,
        validators=[username_validator],
        error_messages={"unique": _("该用户名已被注册。")},
    )
    group = models.ForeignKey(
        UserGroup,
        verbose_name=_("用户组"),
        on_delete=models.PROTECT,
        default=UserGroup.NEWBIE,
        related_name="members",
    )
    credits = models.IntegerField(_("积分"), default=0)
    posts = models.PositiveIntegerField(_("帖子数"), default=0)
    threads = models.PositiveIntegerField(_("主题数"), default=0)
    custom_title = models.CharField(_("自定义头衔"), max_length=30, blank=True)
    signature = models.TextField(_("签名"), blank=True)
    # The signature's sanitised HTML, rendered when it is set (Discuz! ``sightml``): the
    # thread page shows it without rendering (``luntan.accounts.signatures``).
    signature_html = models.TextField(_("签名 HTML"), blank=True, editable=False)
    # The stored avatar's name stem in ``default_storage`` (``avatars/000/00/00/01_<v>``;
    # the three sizes add ``_big.jpg`` …); empty: the generated default
    # (``luntan.accounts.avatars``).
    avatar = models.CharField(_("头像"), max_length=200, blank=True, editable=False)
    # Unread conversations (Discuz! ``common_member.newpm``), kept by luntan.pms's
    # services so the header shows it without a query; ``luntan recount_pms`` rebuilds it.
    pm_unread = models.PositiveIntegerField(_("未读短消息"), default=0, editable=False)
    time_zone = models.CharField(_("时区"), max_length=64, blank=True)
    # True while the member has a per-board access override (``boards.BoardAccess``,
    # Discuz! ``common_member.accessmasks``): only then do permission checks read them.
    # Kept by ``luntan.boards.access``.
    board_access_masks = models.BooleanField(default=False, editable=False)
    register_ip = models.GenericIPAddressField(_("注册 IP"), null=True, blank=True)
    discuz_uid = models.PositiveIntegerField(_("Discuz! UID"), null=True, blank=True, unique=True)
    # NFKC + casefold + confusables skeleton of ``username`` (luntan.accounts.usernames),
    # unique in the database: of two sign-ups racing for one name the second insert fails
    # (``services.register_member`` turns that into the form error). Kept by ``save``;
    # rows written in bulk (the importer) get theirs from ``usernames.fill_username_keys``
    # or ``usernames.key_imported_names``. An imported member whose name has the key of an
    # earlier member keeps the name; their key is ``<key>#<id>`` (see ``usernames``).
    username_key = models.CharField(
        _("用户名比较键"), max_length=255, unique=True, null=True, editable=False, default=None
    )

    objects: ClassVar[UserManager[Self]] = UserManager()

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")

    def __str__(self) -> str:
        return self.username

    def save(self, *args, **kwargs) -> None:  # noqa: D102 - keeps username_key in step
        from luntan.accounts.usernames import KEY_MAX_LENGTH, username_key

        key = username_key(self.username or "")[:KEY_MAX_LENGTH] or "-"
        current = self.username_key or ""
        # ``<key>#<id>`` is the key of a member kept with a clashing imported name: it
        # stays while the name keeps that key.
        if key != current and not current.startswith(key + "#"):
            self.username_key = key
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "username_key" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "username_key"]
        super().save(*args, **kwargs)


class FreedName(models.Model):
    """The name of a deleted member, reserved for a while so nobody takes it over at once
    and is mistaken for them (``reserved_until`` UTC; ``LUNTAN_FREED_NAME_DAYS``, default
    90 days). :func:`luntan.accounts.usernames.is_taken` treats the key as taken until then.
    """

    username = models.CharField(_("用户名"), max_length=15)
    username_key = models.CharField(_("用户名比较键"), max_length=255, db_index=True)
    reserved_until = models.DateTimeField(_("保留至"))

    class Meta:
        verbose_name = _("保留的用户名")
        verbose_name_plural = _("保留的用户名")

    def __str__(self) -> str:
        return self.username


class AccessToken(models.Model):
    """A personal access token (个人访问令牌) of a member for the JSON API (``/api/v1/``).

    Only the SHA-256 ``digest`` of the secret is stored; the secret itself (``lt_`` + 40
    random URL-safe characters) is shown once, when the member creates the token on the
    settings page (:func:`luntan.accounts.tokens.create_token`). ``prefix`` (the first 10
    characters of the secret) names it in lists. ``scopes`` is a space-separated subset of
    ``read write moderate``. A token is live while ``revoked_at`` is null; a ban of the
    member refuses every token of theirs at once (checked on each request by the API).
    ``last_used_at`` (UTC) is refreshed at most once a minute. GitHub's personal access
    tokens work the same way; Discuz! has none.
    """

    SCOPES = ("read", "write", "moderate")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("名称"), max_length=50)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.CharField(_("权限范围"), max_length=64)
    created = models.DateTimeField(_("创建时间"))
    last_used_at = models.DateTimeField(_("最后使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("访问令牌")
        verbose_name_plural = _("访问令牌")
        indexes = [models.Index(fields=["user", "revoked_at"], name="accesstoken_user_live")]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def scope_set(self) -> frozenset[str]:
        """The token's scopes as a set of names."""
        return frozenset(self.scopes.split())


class Profile(models.Model):
    """A member's profile fields (个人资料; Discuz! ``common_member_profile``), each with
    its own privacy (Discuz! ``common_member_field_home.privacy['profile']``): ``privacy``
    maps a field name of :data:`FIELDS` to a :class:`Privacy` value; a field not in it
    is public. ``birthday`` is a date without time zone; ``website`` an http(s) URL
    shown with ``rel="nofollow ugc"``. Written by
    :func:`luntan.accounts.profiles.update_profile` only; read for a viewer through
    :func:`luntan.accounts.profiles.visible_fields`."""

    class Gender(models.IntegerChoices):
        UNKNOWN = 0, _("保密")
        MALE = 1, _("男")
        FEMALE = 2, _("女")

    class Privacy(models.TextChoices):
        PUBLIC = "public", _("公开")
        MEMBERS = "members", _("仅会员可见")
        SELF = "self", _("仅自己可见")

    FIELDS: ClassVar[tuple[str, ...]] = ("gender", "birthday", "location", "website", "bio")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    gender = models.PositiveSmallIntegerField(
        _("性别"), choices=Gender.choices, default=Gender.UNKNOWN
    )
    birthday = models.DateField(_("生日"), null=True, blank=True)
    location = models.CharField(_("居住地"), max_length=100, blank=True)
    website = models.URLField(_("个人主页"), max_length=255, blank=True)
    bio = models.TextField(_("自我介绍"), max_length=1000, blank=True)
    privacy = models.JSONField(_("隐私设置"), default=dict, blank=True)

    class Meta:
        verbose_name = _("个人资料")
        verbose_name_plural = _("个人资料")

    def __str__(self) -> str:
        return f"profile of {self.user_id}"


class RegistrationReview(models.Model):
    """An administrator's refusal of a registration waiting for manual approval (Discuz!
    X3.4 ``common_member_validate`` with ``status`` 1 否决 and the admin's ``remark``).

    Only refusals are kept: the member stays in 等待验证会员 (group 8), cannot post and is
    told ``reason``; approving them later (:func:`luntan.accounts.services.approve_member`)
    deletes the row. Written by :mod:`luntan.accounts.services`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="registration_review",
    )
    reason = models.CharField(_("理由"), max_length=255)
    reviewer_name = models.CharField(max_length=15, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"))

    class Meta:
        verbose_name = _("注册审核")
        verbose_name_plural = _("注册审核")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.reason}"
