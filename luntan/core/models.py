"""Site settings (站点设置) kept in the database and cached in memory."""

from __future__ import annotations

import zoneinfo

from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SETTINGS_CACHE_KEY = "luntan:site-settings:v1"
SETTINGS_CACHE_SECONDS = 30


def validate_time_zone(name: str) -> None:
    """Raise ``ValidationError`` unless ``name`` is empty or an IANA time zone name."""
    from django.core.exceptions import ValidationError

    if name and name not in zoneinfo.available_timezones():
        raise ValidationError(_("未知的时区：%(name)s") % {"name": name}, code="time_zone")


class SiteSettings(models.Model):
    """The site's settings, one row (pk 1).

    ``icp_number`` is the ICP filing (e.g. ``蜀ICP备07502275号-3``) and ``police_filing`` the
    公安备案 text (e.g. ``川公网安备 51200002000214号``), both shown in the footer.
    ``ip_location_level`` chooses what 来自 … shows under a post: nothing, the province
    (the IP属地 rule of Chinese platforms) or the city as Discuz! does.
    ``registration_mode``: new members are verified by nobody, by an e-mail link, or by an
    administrator (Discuz! ``regverify`` 0/1/2); until then they are in 等待验证会员.
    ``post_min_length``/``post_max_length`` are characters, ``flood_seconds`` the least
    seconds between two posts of one member, ``edit_window_seconds`` how long an author
    may edit (0: always; moderators always may).
    ``new_post_review`` sends members' new threads and replies to the review queue: off,
    for 新手上路 and below (groups 8–10), or for everyone but the board's moderators
    (Discuz! ``newbiespan``/``postmodperiods`` and the groups' ``modnewposts``).
    ``mobile_id_offset``: the Discuz! mobile API (``/api/mobile/index.php``) shows content
    created here as ``pk + mobile_id_offset`` and imported content under its Discuz! id;
    the importer raises it above every imported id (:func:`luntan.core.services.
    raise_mobile_id_offset`; the rule is in ``docs/api.md``).
    ``site_closed`` turns every page but log-in into ``closed_message`` (503) for everyone
    except administrators and moderators; ``captcha_first_posts`` / ``captcha_login_failures``
    override the environment's captcha policy when set (None: the environment's).
    Read it with :func:`get_site_settings`; it is cached for ``SETTINGS_CACHE_SECONDS``.
    """

    class RegistrationMode(models.TextChoices):
        NONE = "none", _("无需验证")
        EMAIL = "email", _("邮件验证")
        MANUAL = "manual", _("人工审核")

    class NewPostReview(models.TextChoices):
        OFF = "off", _("不审核")
        NEWBIES = "newbies", _("新手上路及以下用户组的帖子需要审核")
        ALL = "all", _("除版主外所有会员的帖子需要审核")

    class IPLocationLevel(models.TextChoices):
        OFF = "off", _("不显示")
        PROVINCE = "province", _("省份")
        CITY = "city", _("城市")

    site_name = models.CharField(_("站点名称"), max_length=80, default="论坛")
    icp_number = models.CharField(_("ICP 备案号"), max_length=60, blank=True)
    police_filing = models.CharField(_("公安备案号"), max_length=80, blank=True)
    ip_location_level = models.CharField(
        _("IP 属地显示"),
        max_length=10,
        choices=IPLocationLevel.choices,
        default=IPLocationLevel.CITY,
    )
    registration_mode = models.CharField(
        _("新用户注册验证"),
        max_length=10,
        choices=RegistrationMode.choices,
        default=RegistrationMode.EMAIL,
    )
    # Discuz! X3.4 defaults (common_setting minpostsize 10, maxpostsize 10000, floodctrl 15).
    post_min_length = models.PositiveIntegerField(_("帖子最小字数"), default=10)
    post_max_length = models.PositiveIntegerField(_("帖子最大字数"), default=10000)
    flood_seconds = models.PositiveIntegerField(_("两次发表时间间隔（秒）"), default=15)
    time_zone = models.CharField(
        _("站点时区"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("IANA 时区名，例如 Asia/Shanghai；留空使用环境变量 TIME_ZONE。"),
    )
    is_demo = models.BooleanField(
        _("演示内容"),
        default=False,
        help_text=_("论坛里还是 make run 创建的演示内容（导入前用 luntan clear_demo_site 清除）。"),
    )
    edit_window_seconds = models.PositiveIntegerField(
        _("编辑帖子时间限制（秒，0 为不限）"), default=0
    )
    new_post_review = models.CharField(
        _("新帖审核"),
        max_length=10,
        choices=NewPostReview.choices,
        default=NewPostReview.OFF,
        help_text=_("审核中的帖子进入审核队列，通过后才会显示（Discuz! 新用户发帖审核）。"),
    )
    mobile_id_offset = models.PositiveBigIntegerField(
        _("移动接口编号偏移"),
        default=0,
        help_text=_(
            "Discuz! 移动接口中新内容的编号 = 本站编号 + 此值；导入 Discuz! 数据时自动调高到"
            "导入编号之上。"
        ),
    )
    # 站点关闭 (Discuz! common_setting bbclosed / closedreason): everyone but staff sees
    # the message (HTTP 503) until it is opened again.
    site_closed = models.BooleanField(
        _("关闭站点"),
        default=False,
        help_text=_("关闭后只有管理员和版主可以访问，其他人看到下面的提示。"),
    )
    closed_message = models.TextField(_("关闭原因"), blank=True, max_length=500)
    # Staff two-factor sign-in (luntan.permissions.mfa): when on, administrators and
    # moderators without a second factor are sent to set one up before the 管理中心 or
    # the moderation pages open. Off by default (the demo's admin has no authenticator).
    require_staff_mfa = models.BooleanField(
        _("管理人员必须启用两步验证"),
        default=False,
        help_text=_(
            "开启后，未设置两步验证（验证器应用或通行密钥）的管理员和版主进入管理中心或管理操作前"
            "须先完成设置。"
        ),
    )
    # 验证码 policy (Discuz! seccodestatus / seccodedata['minposts']); empty: the
    # LUNTAN_CAPTCHA_FIRST_POSTS / LUNTAN_CAPTCHA_LOGIN_FAILURES environment defaults.
    captcha_first_posts = models.PositiveIntegerField(
        _("发帖验证码：发帖数低于此值的会员"),
        null=True,
        blank=True,
        help_text=_("0 为发帖不需要验证码；留空使用环境变量 LUNTAN_CAPTCHA_FIRST_POSTS。"),
    )
    captcha_login_failures = models.PositiveIntegerField(
        _("登录验证码：登录失败次数"),
        null=True,
        blank=True,
        help_text=_(
            "同一 IP 登录失败达到此次数后登录需要验证码（0 为总是需要）；"
            "留空使用环境变量 LUNTAN_CAPTCHA_LOGIN_FAILURES。"
        ),
    )

    class Meta:
        verbose_name = _("站点设置")
        verbose_name_plural = _("站点设置")

    def __str__(self) -> str:
        return self.site_name

    def save(self, *args, **kwargs) -> None:  # noqa: D102 - keeps the singleton and its cache
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(SETTINGS_CACHE_KEY)


def site_time_zone() -> zoneinfo.ZoneInfo:
    """The site's time zone: where "today" starts for statistics, credits and upload
    quotas, and what guests see times in. ``SiteSettings.time_zone`` when set (an admin
    edits it on the site settings page), else the ``TIME_ZONE`` setting (default
    ``Asia/Shanghai``, GMT+8). Cached with the settings: no query when warm."""
    from django.conf import settings

    name = get_site_settings().time_zone or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def get_site_settings() -> SiteSettings:
    """Return the site settings row, creating it with defaults when missing.

    Served from the cache (no query) for up to ``SETTINGS_CACHE_SECONDS`` seconds after a
    read; saving through :meth:`SiteSettings.save` clears the cache of this process (and
    all processes with a shared Redis cache).
    """
    found = cache.get(SETTINGS_CACHE_KEY)
    if found is None:
        found, _created = SiteSettings.objects.get_or_create(pk=1)
        cache.set(SETTINGS_CACHE_KEY, found, SETTINGS_CACHE_SECONDS)
    return found


class SmileySet(models.Model):
    """A set of smilies (Discuz! ``forum_imagetype`` of type ``smiley``): its images sit
    under ``MEDIA_ROOT/smilies/<directory>/``."""

    name = models.CharField(_("名称"), max_length=40)
    directory = models.CharField(_("目录"), max_length=100)
    display_order = models.IntegerField(_("显示顺序"), default=0)
    is_available = models.BooleanField(_("启用"), default=True)
    discuz_typeid = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ("display_order", "pk")
        verbose_name = _("表情分类")
        verbose_name_plural = _("表情分类")

    def __str__(self) -> str:
        return self.name


class Smiley(models.Model):
    """One smiley (Discuz! ``common_smiley`` of type ``smiley``): posts that contain
    ``code`` show ``image`` (a path in the default storage; empty: no image) or, when
    the image is missing, the readable Unicode ``emoji``. See
    :mod:`luntan.markup.smilies` and :mod:`luntan.core.markup_tables`."""

    smiley_set = models.ForeignKey(
        SmileySet, on_delete=models.CASCADE, related_name="smilies", null=True, blank=True
    )
    code = models.CharField(_("代码"), max_length=30, unique=True)
    image = models.CharField(_("图片"), max_length=200, blank=True)
    emoji = models.CharField(_("替代表情"), max_length=16, blank=True)
    display_order = models.IntegerField(_("显示顺序"), default=0)
    discuz_id = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ("smiley_set__display_order", "display_order", "pk")
        verbose_name = _("表情")
        verbose_name_plural = _("表情")

    def __str__(self) -> str:
        return self.code


class CustomBBCode(models.Model):
    """A site-defined BBCode tag (Discuz! 自定义代码, ``forum_bbcode``): ``[tag]{1}[/tag]``
    or ``[tag={2},{3}]{1}[/tag]`` (``params`` 1–3). ``rendering`` is ``safe`` when the
    ``replacement`` HTML passed :func:`luntan.markup.bbcode.custom.check_replacement`
    (it is then used), else ``text`` (the content is shown as text). Disabled tags stay
    literal BBCode, as in Discuz!."""

    tag = models.CharField(_("标签"), max_length=32, unique=True)
    params = models.PositiveSmallIntegerField(_("参数个数"), default=1)
    replacement = models.TextField(_("替换内容"), blank=True)
    example = models.CharField(_("例子"), max_length=255, blank=True)
    explanation = models.TextField(_("解释"), blank=True)
    is_enabled = models.BooleanField(_("启用"), default=True)
    rendering = models.CharField(_("显示方式"), max_length=8, default="text")
    discuz_id = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ("tag",)
        verbose_name = _("自定义代码")
        verbose_name_plural = _("自定义代码")

    def __str__(self) -> str:
        return f"[{self.tag}]"


def validate_link_url(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is an ``http(s)://`` address or a path on
    this site (``/…``, not ``//…``): never ``javascript:`` or other schemes. A path with a
    backslash, a tab or a line break is refused too: browsers read ``/\\evil.com`` and
    ``/\t/evil.com`` as ``//evil.com``, another site (WHATWG URL parsing)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    if (
        value.startswith("/")
        and not value.startswith("//")
        and not any(c in value for c in "\\\t\r\n")
    ):
        return
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(
            _("请填写 http:// 或 https:// 开头的地址，或以 / 开头的站内地址。"), code="url"
        ) from None


class Announcement(models.Model):
    """A site announcement (公告, Discuz! ``forum_announcement``), shown on the board index
    and the board pages from ``starts_at`` until ``ends_at`` (UTC; ``None``: no end).
    ``url`` makes the title a link; ``message`` is plain text shown under it."""

    title = models.CharField(_("标题"), max_length=100)
    message = models.TextField(_("内容"), blank=True, max_length=500)
    url = models.CharField(_("链接"), max_length=255, blank=True, validators=[validate_link_url])
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    display_order = models.IntegerField(_("显示顺序"), default=0)

    class Meta:
        ordering = ["display_order", "-starts_at", "id"]
        verbose_name = _("公告")
        verbose_name_plural = _("公告")

    def __str__(self) -> str:
        return self.title


class SiteLink(models.Model):
    """A link the site shows: in the navigation bar (导航, Discuz! ``common_nav``) or among
    the friend links on the index (友情链接, Discuz! ``common_friendlink``)."""

    class Kind(models.TextChoices):
        NAV = "nav", _("导航")
        FRIEND = "friend", _("友情链接")

    kind = models.CharField(_("位置"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=30)
    url = models.CharField(_("地址"), max_length=255, validators=[validate_link_url])
    description = models.CharField(_("说明"), max_length=100, blank=True)
    display_order = models.IntegerField(_("显示顺序"), default=0)

    class Meta:
        ordering = ["kind", "display_order", "id"]
        verbose_name = _("链接")
        verbose_name_plural = _("链接")

    def __str__(self) -> str:
        return self.name


class MailSettings(models.Model):
    """The site's SMTP settings, one row (pk 1), edited in 管理中心 › 全局 › 邮件设置
    (Discuz! X3.4 ``common_setting.mail``: ``mailsend`` 2 = SMTP, ``server``, ``port``,
    ``auth_username``, ``auth_password``, ``from``).

    An empty ``host`` leaves mail to the environment (``EMAIL_HOST`` …, or the console).
    ``password_encrypted`` is the SMTP password encrypted with a key derived from
    ``SECRET_KEY`` (:mod:`luntan.core.mail`); it is never shown back. ``security``:
    ``none``, ``starttls`` (``EMAIL_USE_TLS``) or ``ssl`` (``EMAIL_USE_SSL``). Used by
    :class:`luntan.core.mail.SiteEmailBackend`."""

    class Security(models.TextChoices):
        NONE = "none", _("无")
        STARTTLS = "starttls", "STARTTLS"
        SSL = "ssl", "SSL/TLS"

    host = models.CharField(_("SMTP 服务器"), max_length=255, blank=True)
    port = models.PositiveIntegerField(
        _("SMTP 端口"), default=587, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    username = models.CharField(_("SMTP 用户名"), max_length=255, blank=True)
    password_encrypted = models.TextField(blank=True)
    security = models.CharField(
        _("加密"), max_length=10, choices=Security.choices, default=Security.STARTTLS
    )
    from_address = models.CharField(_("发件人"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("邮件设置")
        verbose_name_plural = _("邮件设置")

    def __str__(self) -> str:
        return self.host or "-"

    def save(self, *args, **kwargs) -> None:  # noqa: D102 - singleton
        self.pk = 1
        super().save(*args, **kwargs)
